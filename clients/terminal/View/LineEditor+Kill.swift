extension LineEditor {
  /// Removes the word before the cursor and the spaces between it and the cursor, like
  /// readline's Ctrl-W, into the kill buffer.
  public mutating func killWordBackward() {
    kill(wordStart(before: cursor)..<cursor)
  }

  /// Removes everything before the cursor (Ctrl-U) into the kill buffer.
  public mutating func killToStart() {
    kill(0..<cursor)
  }

  /// Removes everything from the cursor on (Ctrl-K) into the kill buffer.
  public mutating func killToEnd() {
    kill(cursor..<text.count)
  }

  /// Inserts the last killed text at the cursor (Ctrl-Y).
  public mutating func yank() {
    completion = nil
    text.insert(contentsOf: killBuffer, at: cursor)
    cursor += killBuffer.count
  }

  /// Removes `range`, keeping it for `yank()`; an empty kill keeps the previous buffer.
  private mutating func kill(_ range: Range<Int>) {
    completion = nil
    guard !range.isEmpty else { return }
    killBuffer = Array(text[range])
    text.removeSubrange(range)
    cursor = range.lowerBound
  }
}
