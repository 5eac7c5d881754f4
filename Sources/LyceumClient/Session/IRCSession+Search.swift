import LyceumProtocol

/// One result of the last `/search`, numbered in the results view (1 is the newest).
public struct SearchHit: Equatable, Sendable {
  public var target: String
  public var msgid: String?
  public var time: Int64
  public var sender: String
  public var text: String
}

/// `/search` over the server's `SEARCH` (soju.im/search): the results go to a view of their
/// own, newest numbered first; `/search more` pages on, `/goto N` opens a result's room.
extension IRCSession {
  /// The results view's key: `*search` is neither a channel nor a nick.
  public static let searchKey = BufferKey(target: "*search")

  /// Whether the server searches (it offered `soju.im/search`).
  public var searchAvailable: Bool { offeredCapabilities["soju.im/search"] != nil }

  /// `/search words [in:#room] [from:nick]`, or `/search more` for the next page.
  mutating func search(_ rest: String, now: Int64) -> [SessionEvent] {
    guard searchAvailable else {
      status(
        "This server has no search; page back with PgUp, or ask the operators for "
          + "`lyceumd export`.", now: now, kind: .error)
      return []
    }
    var attributes: [(String, String)] = []
    if rest.trimmingSpaces == "more" {
      guard let last = lastSearch, let cursor = searchCursor else {
        status("No more results.", now: now, in: Self.searchKey)
        return []
      }
      attributes = last + [("lyceum.chat/cursor", cursor)]
      searchCursor = nil
      appendingSearch = true
    } else {
      var words: [Substring] = []
      for word in rest.split(separator: " ") {
        if word.hasPrefix("in:"), word.count > 3 {
          attributes.append(("in", String(word.dropFirst(3))))
        } else if word.hasPrefix("from:"), word.count > 5 {
          attributes.append(("from", String(word.dropFirst(5))))
        } else {
          words.append(word)
        }
      }
      if !words.isEmpty { attributes.append(("text", words.joined(separator: " "))) }
      guard !attributes.isEmpty else { return [] }
      lastSearch = attributes
      searchCursor = nil
      appendingSearch = false
    }
    let text = attributes.map { "\($0.0)=\(TagEscaping.escape($0.1))" }.joined(separator: ";")
    return [.send("SEARCH :\(text)")]
  }

  /// A `soju.im/search` batch: the results (oldest first on the wire) into the results view,
  /// numbered newest first, each line its room, sender and text at its time.
  mutating func applySearch(_ batch: OpenBatch, now: Int64) {
    var hits: [SearchHit] = []
    for message in batch.lines.reversed() {
      let command = message.uppercasedCommand
      guard command == "PRIVMSG" || command == "NOTICE", message.params.count >= 2 else {
        continue
      }
      let line = chatLine(message, now: now)
      hits.append(
        SearchHit(
          target: message.params[0], msgid: line.msgid, time: line.time, sender: line.sender,
          text: line.text))
    }
    if !appendingSearch { searchHits = [] }
    let first = searchHits.count
    searchHits += hits
    buffers.open(Self.searchKey, name: "search", kind: .search)
    if first == 0 {
      buffers.update(Self.searchKey) { $0 = ChatBuffer(name: "search", kind: .search) }
    }
    let query = (lastSearch ?? []).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    status(
      hits.isEmpty && first == 0
        ? "No messages match \(query)."
        : "\(hits.count) results for \(query), newest first (/goto N opens one):",
      now: now, in: Self.searchKey)
    // Every line at `now`, so the view keeps this order; each shows its message's own time.
    for (offset, hit) in hits.enumerated() {
      status(
        "\(first + offset + 1). \(formatServerTime(hit.time).prefix(16).replacingT) "
          + "\(hit.target) <\(hit.sender)> \(hit.text)", now: now, in: Self.searchKey)
    }
    buffers.activate(Self.searchKey)
  }

  /// `NOTE SEARCH MORE_RESULTS <cursor>`: there is a next page.
  mutating func noteMoreSearchResults(_ message: IRCMessage, now: Int64) {
    guard message.params.count >= 3 else { return }
    searchCursor = message.params[2]
    status("More results: /search more", now: now, in: Self.searchKey)
  }

  /// `/goto N`: the room (or conversation) of result N, with its history paged back until
  /// the result is loaded (at most `jumpPages` pages), so PgUp reaches it.
  mutating func goToResult(_ number: String?, now: Int64) -> [SessionEvent] {
    guard let number, let index = Int(number), searchHits.indices.contains(index - 1) else {
      status("/goto N: N is a number from the last /search", now: now, kind: .error)
      return []
    }
    let hit = searchHits[index - 1]
    let key = BufferKey(target: hit.target)
    buffers.open(key, name: hit.target, kind: Self.isChannel(hit.target) ? .channel : .direct)
    var out = activate(key)
    if let msgid = hit.msgid {
      if buffers[key]?.line(msgid: msgid) == nil {
        pendingJump = PendingJump(key: key, msgid: msgid, pagesLeft: Self.jumpPages)
        out += requestOlderHistory()
      } else {
        focus = MessageFocus(key: key, msgid: msgid)
      }
    }
    status(
      "Result \(index): \(formatServerTime(hit.time).prefix(16).replacingT) <\(hit.sender)> "
        + "\(hit.text)", now: now, in: key)
    return out
  }

  /// The most history pages `/goto` fetches to reach a result.
  static let jumpPages = 20

  /// After a page of older history: page on while a `/goto` target is not loaded yet.
  mutating func continueJump(_ key: BufferKey, now: Int64, _ out: inout [SessionEvent]) {
    guard var jump = pendingJump, jump.key == key, let buffer = buffers[key] else { return }
    if buffer.line(msgid: jump.msgid) != nil {
      pendingJump = nil
      focus = MessageFocus(key: key, msgid: jump.msgid)
      return
    }
    jump.pagesLeft -= 1
    guard jump.pagesLeft > 0, !buffer.history.reachedStart, buffers.activeKey == key else {
      pendingJump = nil
      status("The result is further back than /goto pages; PgUp goes on.", now: now, in: key)
      return
    }
    pendingJump = jump
    out += requestOlderHistory()
  }
}

/// A message for the screen to scroll to: its buffer and msgid.
public struct MessageFocus: Equatable, Sendable {
  public var key: BufferKey
  public var msgid: String

  public init(key: BufferKey, msgid: String) {
    self.key = key
    self.msgid = msgid
  }
}

extension IRCSession {
  /// The message the screen should scroll to now, if any; asking clears it.
  public mutating func takeFocus() -> MessageFocus? {
    defer { focus = nil }
    return focus
  }
}

/// A `/goto` on its way: the buffer, the msgid it waits for, and how many more pages it asks.
struct PendingJump: Equatable, Sendable {
  var key: BufferKey
  var msgid: String
  var pagesLeft: Int
}

extension Substring {
  /// `2026-01-05T10:00` as `2026-01-05 10:00`.
  fileprivate var replacingT: String { String(map { $0 == "T" ? " " : $0 }) }
}

extension String {
  fileprivate var trimmingSpaces: Substring {
    let start = firstIndex { $0 != " " } ?? endIndex
    let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
    return self[start..<end]
  }
}
