extension LineEditor {
  /// Returns the text and clears the editor (Enter).
  ///
  /// The text is added to the history unless it is empty or the same as the newest entry; the
  /// oldest entry goes when there are `historyLimit`. Browsing restarts from the new draft. Use
  /// `lines` first to learn how many messages it is.
  public mutating func submit() -> String {
    let submitted = string
    if !submitted.isEmpty, history.last != submitted {
      history.append(submitted)
      if history.count > Self.historyLimit {
        history.removeFirst(history.count - Self.historyLimit)
      }
    }
    text = []
    cursor = 0
    draft = []
    historyIndex = nil
    completion = nil
    return submitted
  }

  /// Shows the previous (older) history entry (Up). The first step keeps what was being typed
  /// as the draft; at the oldest entry nothing changes.
  public mutating func historyPrevious() {
    completion = nil
    guard !history.isEmpty else { return }
    let index: Int
    if let current = historyIndex {
      guard current > 0 else { return }
      index = current - 1
    } else {
      draft = text
      index = history.count - 1
    }
    show(Array(history[index]), historyIndex: index)
  }

  /// Shows the next (newer) history entry (Down); past the newest, the draft comes back.
  /// Outside history browsing nothing changes.
  public mutating func historyNext() {
    completion = nil
    guard let current = historyIndex else { return }
    if current + 1 < history.count {
      show(Array(history[current + 1]), historyIndex: current + 1)
    } else {
      show(draft, historyIndex: nil)
      draft = []
    }
  }

  private mutating func show(_ characters: [Character], historyIndex: Int?) {
    text = characters
    cursor = characters.count
    self.historyIndex = historyIndex
  }
}
