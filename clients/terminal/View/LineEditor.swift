/// The input line: text, cursor, kill buffer, input history and completion state, as a value.
///
/// Keys map to methods (Ctrl-A `home`, Ctrl-W `killWordBackward` …); the view draws
/// `visibleSlice(width:)`. Every edit resets any tab-completion cycle in progress, so the app
/// only has to call `complete(using:backward:)` on Tab and Shift-Tab.
///
/// The text is one logical message per line: a paste with newlines keeps them ("\r\n" and "\r"
/// become "\n"), `lines` says what `submit()` would send, so the app can ask "send 3 lines?"
/// before it does. Other control characters are dropped and a tab becomes a space, so the text
/// is always safe to show and to send.
public struct LineEditor: Hashable, Sendable {
  /// The characters of the input, newlines included.
  public internal(set) var text: [Character]
  /// The insertion point: an index into `text`, from 0 to `text.count`.
  public internal(set) var cursor: Int
  /// What the last kill removed, for `yank()`.
  public internal(set) var killBuffer: [Character] = []
  /// Submitted inputs, oldest first, at most `historyLimit`.
  public internal(set) var history: [String] = []
  /// The history entry being shown, or `nil` when editing the draft.
  public internal(set) var historyIndex: Int?
  /// The text that was being typed when history browsing started.
  var draft: [Character] = []
  /// The tab-completion cycle in progress, if the last action was a completion.
  public internal(set) var completion: CompletionState?

  /// How many inputs the history keeps.
  public static let historyLimit = 500

  /// Creates an editor holding `text` with the cursor at its end.
  public init(text: String = "") {
    self.text = Array(Self.clean(text))
    cursor = self.text.count
  }

  /// The text as a string.
  public var string: String { String(text) }

  /// Whether there is no text.
  public var isEmpty: Bool { text.isEmpty }

  /// The messages `submit()` would send: the text split at newlines, without the empty lines
  /// (IRC cannot carry an empty message). More than one means a multi-line paste the app should
  /// confirm.
  public var lines: [String] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map { String($0) }
  }

  /// Inserts `string` at the cursor and moves the cursor after it.
  public mutating func insert(_ string: String) {
    completion = nil
    let inserted = Self.clean(string)
    text.insert(contentsOf: inserted, at: cursor)
    cursor += inserted.count
  }

  /// Replaces the characters in `range` (clamped to the text) with `string` and puts the cursor
  /// after the replacement.
  public mutating func replace(_ range: Range<Int>, with string: String) {
    completion = nil
    let lower = min(max(0, range.lowerBound), text.count)
    let upper = min(max(lower, range.upperBound), text.count)
    let inserted = Self.clean(string)
    text.replaceSubrange(lower..<upper, with: inserted)
    cursor = lower + inserted.count
  }

  /// Deletes the character before the cursor (Backspace).
  public mutating func backspace() {
    completion = nil
    guard cursor > 0 else { return }
    text.remove(at: cursor - 1)
    cursor -= 1
  }

  /// Deletes the character at the cursor (Delete, Ctrl-D on a non-empty line).
  public mutating func deleteForward() {
    completion = nil
    guard cursor < text.count else { return }
    text.remove(at: cursor)
  }

  /// Moves the cursor one character left (Left, Ctrl-B).
  public mutating func moveLeft() {
    completion = nil
    cursor = max(0, cursor - 1)
  }

  /// Moves the cursor one character right (Right, Ctrl-F).
  public mutating func moveRight() {
    completion = nil
    cursor = min(text.count, cursor + 1)
  }

  /// Moves the cursor to the start of the word before it (Alt-B, Ctrl-Left).
  public mutating func moveWordLeft() {
    completion = nil
    cursor = wordStart(before: cursor)
  }

  /// Moves the cursor to the end of the word after it (Alt-F, Ctrl-Right).
  public mutating func moveWordRight() {
    completion = nil
    var position = cursor
    while position < text.count, text[position].isWhitespace { position += 1 }
    while position < text.count, !text[position].isWhitespace { position += 1 }
    cursor = position
  }

  /// Moves the cursor to the start of the text (Home, Ctrl-A).
  public mutating func home() {
    completion = nil
    cursor = 0
  }

  /// Moves the cursor to the end of the text (End, Ctrl-E).
  public mutating func end() {
    completion = nil
    cursor = text.count
  }

  /// The start of the word before `position`: whitespace is skipped back, then the word.
  func wordStart(before position: Int) -> Int {
    var start = position
    while start > 0, text[start - 1].isWhitespace { start -= 1 }
    while start > 0, !text[start - 1].isWhitespace { start -= 1 }
    return start
  }

  /// `string` as the editor keeps it: newlines normalized to "\n", tabs as spaces, other
  /// control characters dropped.
  static func clean(_ string: String) -> [Character] {
    var result: [Character] = []
    result.reserveCapacity(string.count)
    for character in string {
      switch character {
      case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": result.append("\n")
      case "\t": result.append(" ")
      default:
        if let first = character.unicodeScalars.first,
          DisplayWidth.isControl(first.value)
            || (0x202A...0x202E).contains(first.value) || (0x2066...0x2069).contains(first.value)
        {
          continue
        }
        result.append(character)
      }
    }
    return result
  }
}
