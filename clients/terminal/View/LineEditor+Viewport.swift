extension LineEditor {
  /// What the input row shows when it is `width` cells wide: the part of the text to draw and
  /// the column of the cursor in it.
  ///
  /// Short text shows whole. Longer text scrolls horizontally by half a row at a time, so the
  /// view only jumps when the cursor leaves it and the cursor is always visible (a column in
  /// `0..<width`). Wide characters count as 2 cells and are never cut; a newline is shown as
  /// "↵". The result is a pure function of the text and cursor: no scroll state to keep.
  public func visibleSlice(width: Int) -> (text: String, cursorColumn: Int) {
    guard width > 0 else { return ("", 0) }
    let widths = text.map(Self.cellWidth)
    var cursorColumn = 0
    for index in 0..<cursor { cursorColumn += widths[index] }
    var start = 0
    var startColumn = 0
    if cursorColumn >= width {
      // Scroll by whole steps of half the row, so that the cursor lands in the right half.
      let step = max(1, width / 2)
      let offset = ((cursorColumn - width) / step + 1) * step
      while start < cursor, startColumn < offset {
        startColumn += widths[start]
        start += 1
      }
    }
    var shown = ""
    var used = 0
    var index = start
    while index < text.count, used + widths[index] <= width {
      shown.append(text[index] == "\n" ? "\u{21B5}" : text[index])
      used += widths[index]
      index += 1
    }
    return (shown, min(cursorColumn - startColumn, width - 1))
  }

  /// The cells `character` takes in the input row (a newline shows as one-cell "↵").
  private static func cellWidth(_ character: Character) -> Int {
    character == "\n" ? 1 : DisplayWidth.of(character)
  }
}
