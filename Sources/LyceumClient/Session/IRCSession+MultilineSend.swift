import LyceumProtocol

/// The server's `draft/multiline` limits, from its capability value
/// (`max-bytes=4096,max-lines=100`).
struct MultilineLimits: Equatable, Sendable {
  /// The most bytes of text, counting one per line feed between lines.
  var maxBytes: Int
  /// The most lines in a batch (`max-lines`), nil when the server sets none.
  var maxLines: Int?

  init?(capabilityValue value: String) {
    var bytes: Int?
    var lines: Int?
    for item in value.split(separator: ",") {
      let parts = item.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, let number = Int(parts[1]), number > 0 else { continue }
      if parts[0] == "max-bytes" { bytes = number }
      if parts[0] == "max-lines" { lines = number }
    }
    // `max-bytes` is required by the specification: without it, no batch is sent.
    guard let bytes else { return nil }
    maxBytes = bytes
    maxLines = lines
  }
}

/// Sending a paste of several lines: one `draft/multiline` batch when the server offers it and
/// the text fits its limits, so that others see one message (one msgid, one time); separate
/// messages otherwise, as before.
extension IRCSession {
  /// The server's multiline limits when the capability is enabled (with `batch`).
  var multilineLimits: MultilineLimits? {
    guard enabledCapabilities.contains("draft/multiline"), enabledCapabilities.contains("batch"),
      let value = offeredCapabilities["draft/multiline"]
    else { return nil }
    return MultilineLimits(capabilityValue: value)
  }

  /// Sends pasted `lines` as text to the buffer on screen (a line starting with `/` is text
  /// too): one multiline message when possible, else one message per line.
  public mutating func paste(_ lines: [String], now: Int64) -> [SessionEvent] {
    let buffer = buffers.active
    let target: String
    var replyTo: String?
    switch buffer.kind {
    case .channel: target = buffer.name
    case .direct: target = deliveryTarget(for: buffer.name)
    case .thread(let root):
      target = buffer.name
      replyTo = root
    case .server, .search:
      return lines.flatMap { input($0.hasPrefix("/") ? "/" + $0 : $0, now: now) }
    }
    var kept = lines.map { String($0.filter { $0 != "\r" && $0 != "\0" }) }
    while kept.first?.allSatisfy(\.isWhitespace) == true { kept.removeFirst() }
    while kept.last?.allSatisfy(\.isWhitespace) == true { kept.removeLast() }
    if kept.count > 1, let batch = multilineBatch(kept, to: target, replyTo: replyTo, now: now) {
      return batch
    }
    return kept.flatMap { message(to: target, text: $0, replyTo: replyTo, now: now) }
  }

  /// The lines of one multiline batch carrying `lines`, nil when the server does not take
  /// multiline messages or the text passes its `max-bytes` or `max-lines`. A line longer than
  /// one `PRIVMSG` carries is sent in pieces joined with `draft/multiline-concat`.
  mutating func multilineBatch(
    _ lines: [String], to target: String, replyTo: String?, now: Int64
  ) -> [SessionEvent]? {
    guard let limits = multilineLimits else { return nil }
    let limit = Self.textLimit(for: target)
    var pieces: [(text: String, continues: Bool)] = []
    for line in lines {
      let cut = Self.cut(line, toBytes: limit)
      pieces.append((cut.first ?? "", false))
      pieces += cut.dropFirst().map { ($0, true) }
    }
    let bytes = lines.reduce(lines.count - 1) { $0 + $1.utf8.count }
    guard bytes <= limits.maxBytes, pieces.count <= limits.maxLines ?? .max else { return nil }
    let prefix = messageTagPrefix(replyTo: replyTo)
    labelCounter += 1
    let reference = "ml\(labelCounter)"
    var out: [SessionEvent] = [.send("\(prefix)BATCH +\(reference) draft/multiline \(target)")]
    for piece in pieces {
      let concat = piece.continues ? ";draft/multiline-concat" : ""
      out.append(.send("@batch=\(reference)\(concat) PRIVMSG \(target) :\(piece.text)"))
    }
    out.append(.send("BATCH -\(reference)"))
    if !enabledCapabilities.contains("echo-message") {
      showOwn(lines.joined(separator: "\n"), to: target, replyTo: replyTo, action: false, now: now)
    }
    return out
  }
}
