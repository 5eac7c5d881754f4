/// What tab completion can complete to, given by the app from its model.
public struct CompletionContext: Hashable, Sendable {
  /// Nicks: the most recent speakers of the buffer first, then the other members.
  public var nicks: [String]
  /// Room names, with their `#` or `&`.
  public var rooms: [String]
  /// Command names, without the slash.
  public var commands: [String]

  /// Creates a context.
  public init(nicks: [String] = [], rooms: [String] = [], commands: [String] = []) {
    self.nicks = nicks
    self.rooms = rooms
    self.commands = commands
  }
}

/// A tab-completion cycle in progress: the word being completed and the candidates Tab and
/// Shift-Tab cycle through. Held by `LineEditor`, which drops it on any other edit.
public struct CompletionState: Hashable, Sendable {
  /// Where the completed word starts in the editor's text.
  public let wordStart: Int
  /// The replacements, suffix included (`"alice: "`, `"/join "`), in cycling order.
  public let candidates: [String]
  /// The candidate now in the text.
  public internal(set) var index: Int
}

/// Finds completions for the word before the cursor, senpai- and WeeChat-style.
///
/// - A word starting with `/` at the start of the line completes to a command, as `"/cmd "`.
/// - A word starting with `#` or `&` completes to a room, followed by a space.
/// - Any other word completes to a nick, followed by `": "` at the start of the line and by a
///   space elsewhere.
///
/// Matching is by prefix, case-insensitive under IRC's `rfc1459` case mapping (so `[` matches
/// `{`). An empty word completes to nothing (except a lone `/`, which lists the commands).
public enum Completer {
  /// The start of the word before `cursor` in `text` and its replacements, in the order of the
  /// context's lists with duplicates (as folded) removed; `nil` when nothing matches.
  public static func candidates(
    text: [Character], cursor: Int, context: CompletionContext
  ) -> (wordStart: Int, candidates: [String])? {
    let cursor = min(max(0, cursor), text.count)
    var start = cursor
    while start > 0, !text[start - 1].isWhitespace { start -= 1 }
    let word = String(text[start..<cursor])
    let result: [String]
    if start == 0, word.hasPrefix("/") {
      let prefix = String(word.dropFirst())
      result = matches(prefix, in: context.commands).map { "/\($0) " }
    } else if word.hasPrefix("#") || word.hasPrefix("&") {
      result = matches(word, in: context.rooms).map { "\($0) " }
    } else if !word.isEmpty {
      let suffix = start == 0 ? ": " : " "
      result = matches(word, in: context.nicks).map { $0 + suffix }
    } else {
      result = []
    }
    return result.isEmpty ? nil : (start, result)
  }

  /// The names in `names` that start with `prefix`, folded, in order and without duplicates.
  private static func matches(_ prefix: String, in names: [String]) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    for name in names where !name.isEmpty && IRCCaseFold.hasPrefix(name, prefix) {
      if seen.insert(IRCCaseFold.fold(name)).inserted { result.append(name) }
    }
    return result
  }
}

extension LineEditor {
  /// Completes the word before the cursor (Tab), or, right after a completion, replaces it with
  /// the next candidate (the previous one when `backward`, for Shift-Tab), wrapping around.
  /// Returns whether the text changed or a cycle is in progress.
  @discardableResult
  public mutating func complete(using context: CompletionContext, backward: Bool = false) -> Bool {
    if let state = completion, isShowing(state) {
      let count = state.candidates.count
      let index = (state.index + (backward ? count - 1 : 1)) % count
      let current = state.candidates[state.index]
      replace(state.wordStart..<(state.wordStart + current.count), with: state.candidates[index])
      completion = CompletionState(
        wordStart: state.wordStart, candidates: state.candidates, index: index)
      return true
    }
    guard
      let (start, candidates) = Completer.candidates(
        text: text, cursor: cursor, context: context)
    else {
      completion = nil
      return false
    }
    let index = backward ? candidates.count - 1 : 0
    replace(start..<cursor, with: candidates[index])
    completion = CompletionState(wordStart: start, candidates: candidates, index: index)
    return true
  }

  /// Whether the text still holds the candidate `state` inserted, with the cursor after it.
  private func isShowing(_ state: CompletionState) -> Bool {
    let inserted = Array(state.candidates[state.index])
    let end = state.wordStart + inserted.count
    return end == cursor && end <= text.count && Array(text[state.wordStart..<end]) == inserted
  }
}
