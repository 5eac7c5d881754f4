/// Cuts styled text into rows no wider than a given number of cells.
///
/// Rows break after a run of spaces where possible and inside a word otherwise (long URLs);
/// before and after a wide character (CJK text has no spaces and may break between any two
/// characters). A grapheme cluster is never split and a wide character never straddles the
/// edge. The spaces at a break are dropped. Each character is looked at a bounded number of
/// times, so wrapping is linear in the length of the text.
public enum LineWrapper {
  /// What a wide character becomes when rows are one cell wide and it cannot fit at all.
  ///
  /// ASCII on purpose: any other placeholder ("…", "�") is East Asian Ambiguous and some
  /// terminals draw it in two cells.
  public static let widePlaceholder: Character = "?"

  /// The rows of `text` wrapped at `width` cells (a width under 1 counts as 1).
  ///
  /// Every row after the first starts with `continuationIndent` spaces (in the plain style),
  /// clamped so that any character still fits after it: to `width - 2`, or 0 on a row of 1 cell.
  /// At width 1, wide characters are replaced by `widePlaceholder`. Empty text gives one empty
  /// row, so a message always takes at least a row.
  public static func wrap(
    _ text: StyledText, width: Int, continuationIndent: Int = 0
  ) -> [StyledText] {
    let width = max(1, width)
    let indent = max(0, min(continuationIndent, width - 2))
    let items = layoutItems(text, width: width)
    var rows: [StyledText] = []
    var start = 0
    var index = 0
    var column = 0
    var breakIndex = -1
    while index < items.count {
      let item = items[index]
      if index > start, isBreakOpportunity(items[index - 1], item) { breakIndex = index }
      if column + item.width <= width {
        column += item.width
        index += 1
        continue
      }
      var end = index
      if !item.isSpace, breakIndex > start { end = breakIndex }
      if end <= start {
        // Cannot happen (any item fits an empty row), but never loop: take the item anyway.
        column += item.width
        index += 1
        continue
      }
      rows.append(row(items, start..<end, indent: rows.isEmpty ? 0 : indent))
      var next = end
      while next < items.count, items[next].isSpace { next += 1 }
      start = next
      index = next
      column = indent
      breakIndex = -1
    }
    if start < items.count || rows.isEmpty {
      rows.append(row(items, start..<items.count, indent: rows.isEmpty ? 0 : indent))
    }
    return rows
  }

  /// One grapheme cluster to lay out.
  private struct Item {
    var character: Character
    var style: TextStyle
    var width: Int
    var isSpace: Bool { character == " " }
  }

  private static func layoutItems(_ text: StyledText, width: Int) -> [Item] {
    var items: [Item] = []
    for span in text.spans {
      for character in span.text {
        let cellWidth = DisplayWidth.of(character)
        if cellWidth > width {
          items.append(Item(character: widePlaceholder, style: span.style, width: 1))
        } else {
          items.append(Item(character: character, style: span.style, width: cellWidth))
        }
      }
    }
    return items
  }

  /// Whether a row may end between `before` and `after`: after spaces, and around wide
  /// characters (ideographs break anywhere).
  private static func isBreakOpportunity(_ before: Item, _ after: Item) -> Bool {
    guard !after.isSpace else { return false }
    return before.isSpace || before.width == 2 || after.width == 2
  }

  /// The styled row for `items[range]` with trailing spaces dropped, after `indent` spaces.
  private static func row(_ items: [Item], _ range: Range<Int>, indent: Int) -> StyledText {
    var end = range.upperBound
    while end > range.lowerBound, items[end - 1].isSpace { end -= 1 }
    var result = StyledText()
    if indent > 0 { result.append(String(repeating: " ", count: indent)) }
    var runStyle = TextStyle.plain
    var run = ""
    for item in items[range.lowerBound..<end] {
      if item.style != runStyle, !run.isEmpty {
        result.append(run, style: runStyle)
        run = ""
      }
      runStyle = item.style
      run.append(item.character)
    }
    result.append(run, style: runStyle)
    return result
  }
}
