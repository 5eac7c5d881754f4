import LyceumProtocol

extension IRCSession {
  /// What the user typed on the input line: a `/command`, or text for the buffer on screen
  /// (`//text` sends text starting with a slash). Returns the lines to send.
  public mutating func input(_ text: String, now: Int64) -> [SessionEvent] {
    if text.hasPrefix("/") && !text.hasPrefix("//") {
      let body = text.dropFirst()
      let name = body.prefix { $0 != " " }.lowercased()
      let rest = body.dropFirst(name.count).drop { $0 == " " }
      return command(name, String(rest), now: now)
    }
    let message = text.hasPrefix("//") ? String(text.dropFirst()) : text
    return say(message, now: now)
  }

  /// Sends `text` to the buffer on screen; in a thread view, as a reply to its root.
  mutating func say(_ text: String, now: Int64) -> [SessionEvent] {
    let key = buffers.activeKey
    guard !text.isEmpty, let buffer = buffers[key] else { return [] }
    switch buffer.kind {
    case .server:
      status("This is the server buffer; /join a room or /msg someone", now: now, kind: .error)
      return []
    case .search:
      // A result's number alone opens it, as `/goto N` does.
      if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
        return goToResult(text, now: now)
      }
      status(
        "These are search results; type a result's number (or /goto N) to open it", now: now,
        kind: .error)
      return []
    case .thread(let root):
      return message(to: buffer.name, text: text, replyTo: root, now: now)
    case .channel:
      return message(to: buffer.name, text: text, replyTo: nil, now: now)
    case .direct:
      return message(to: deliveryTarget(for: buffer.name), text: text, replyTo: nil, now: now)
    }
  }

  /// A `PRIVMSG`, labelled so a refusal can be shown; shown locally only when the server
  /// will not echo it back.
  public mutating func message(
    to target: String, text: String, replyTo: String?, action: Bool = false, now: Int64
  ) -> [SessionEvent] {
    // A line break in the text would end the PRIVMSG and send the rest as a command of its
    // own: each line is a message of its own, and a long one is cut into several.
    let pieces = Self.messagePieces(text, target: target)
    guard pieces.count == 1, let piece = pieces.first else {
      return pieces.flatMap {
        message(to: target, text: $0, replyTo: replyTo, action: action, now: now)
      }
    }
    return singleMessage(to: target, text: piece, replyTo: replyTo, action: action, now: now)
  }

  /// The most bytes of text one PRIVMSG carries here: 512 minus the command, the target and
  /// room for the source the server adds when relaying it (`:nick!user@host `, about 100).
  static func textLimit(for target: String) -> Int {
    max(64, 512 - 2 - "PRIVMSG  :".utf8.count - target.utf8.count - 100)
  }

  /// `text` as the messages it must be sent as: one per non-empty line, each cut at character
  /// boundaries to `textLimit`.
  static func messagePieces(_ text: String, target: String) -> [String] {
    let limit = textLimit(for: target)
    return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).flatMap {
      cut(String($0), toBytes: limit)
    }
  }

  /// `line` (without NUL characters) cut at character boundaries into pieces of at most
  /// `limit` bytes; nothing for an empty line.
  static func cut(_ line: String, toBytes limit: Int) -> [String] {
    var pieces: [String] = []
    var current = ""
    var bytes = 0
    for character in line where character != "\0" {
      let size = character.utf8.count
      if bytes + size > limit {
        pieces.append(current)
        current = ""
        bytes = 0
      }
      current.append(character)
      bytes += size
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
  }

  /// `@label=…;+reply=… ` for a message this client sends (the label when labels are on, the
  /// reply with message-tags), or "" when it has neither.
  mutating func messageTagPrefix(replyTo: String?) -> String {
    var tags: [String] = []
    if canLabel {
      let label = nextLabel()
      pendingLabels[label] = .message
      tags.append("label=\(label)")
    }
    if let replyTo, enabledCapabilities.contains("message-tags") {
      tags.append("+reply=\(replyTo)")
    }
    return tags.isEmpty ? "" : "@\(tags.joined(separator: ";")) "
  }

  mutating func singleMessage(
    to target: String, text: String, replyTo: String?, action: Bool, now: Int64
  ) -> [SessionEvent] {
    let prefix = messageTagPrefix(replyTo: replyTo)
    let body = action ? "\u{01}ACTION \(text)\u{01}" : text
    if !enabledCapabilities.contains("echo-message") {
      showOwn(text, to: target, replyTo: replyTo, action: action, now: now)
    }
    return [.send("\(prefix)PRIVMSG \(target) :\(body)")]
  }

  /// Shows a message we sent, for a server that does not echo it back.
  mutating func showOwn(
    _ text: String, to target: String, replyTo: String?, action: Bool, now: Int64
  ) {
    let key = BufferKey(target: target)
    buffers.open(key, name: target, kind: Self.isChannel(target) ? .channel : .direct)
    var line = BufferLine(
      time: now, sender: nick, kind: action ? .action : .message, text: text, replyTo: replyTo,
      isSelf: true)
    line.threadRoot = replyTo
    buffers.update(key) { $0.insert(line) }
  }

  /// Marks the buffer on screen read up to its newest line, here and for the account's other
  /// devices (`MARKREAD`). Call it when the user is looking at the end of the buffer.
  public mutating func markActiveRead() -> [SessionEvent] {
    let key = buffers.activeKey
    guard key.root == nil, let buffer = buffers[key], buffer.kind != .server,
      let newest = buffer.newestTime
    else { return [] }
    if let marker = buffer.readMarker, marker >= newest { return [] }
    buffers.update(key) { $0.setReadMarker(newest) }
    guard isRegistered, historyAvailable else { return [] }
    return [.send("MARKREAD \(buffer.name) timestamp=\(formatServerTime(newest))")]
  }

  /// Puts a buffer on screen; a buffer never fetched gets its latest history first.
  public mutating func activate(_ key: BufferKey) -> [SessionEvent] {
    buffers.activate(key)
    var out: [SessionEvent] = []
    // A buffer never fetched (a conversation opened by an incoming message, say) gets its
    // newest page once; lines it already holds are not shown twice.
    if let buffer = buffers[key], key.root == nil, buffer.kind != .server,
      !buffer.history.hasFetchedLatest, !buffer.history.isLoadingOlder, isRegistered,
      historyAvailable
    {
      buffers.update(key) {
        $0.history.hasFetchedLatest = true
        $0.history.isLoadingOlder = true
      }
      requestHistory(buffer.name, "LATEST", "*", .latest(limit: pageSize), &out)
    }
    return out
  }
}
