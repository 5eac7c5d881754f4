import LyceumProtocol

/// IRCv3 `draft/message-redaction`: a `REDACT <target> <msgid> [reason]` from the server
/// replaces the message's text with "(message deleted)", keeping its sender and time (as
/// WeeChat and gamja show it), in the room and in its thread views; a redacted reaction no
/// longer counts. `/redact` asks the server to delete one of the buffer's messages.
extension IRCSession {
  /// A `REDACT` relayed live (or replayed in a history page).
  mutating func handleRedact(_ message: IRCMessage, now: Int64) {
    guard message.params.count >= 2, let target = conversationTarget(of: message) else { return }
    redact(message.params[1], in: target)
  }

  /// Marks the message `msgid` of `target` deleted wherever it is shown.
  mutating func redact(_ msgid: String, in target: String) {
    let room = BufferKey(target: target)
    for key in buffers.order where key.folded == room.folded {
      buffers.update(key) { $0.redact(msgid: msgid) }
    }
  }

  /// `/redact [N|msgid] [reason]`: deletes a message of the buffer on screen by sending
  /// `REDACT`; without a number or msgid, our own newest message. The server decides who may
  /// delete what (the sender, channel operators); its `FAIL REDACT` shows as an error.
  mutating func redactCommand(_ words: [String], _ rest: String, now: Int64) -> [SessionEvent] {
    let active = buffers.active
    guard active.kind != .server, active.kind != .search else {
      status(
        "Open a room or a conversation to delete a message in", now: now, kind: .error,
        in: buffers.activeKey)
      return []
    }
    var msgid: String?
    var reason = rest
    if let first = words.first, Int(first) != nil || first.count >= 4,
      let found = messageReference(first, in: active)
    {
      msgid = found
      reason = String(rest.dropFirst(first.count).drop { $0 == " " })
    } else if let first = words.first, Int(first) != nil {
      status("No message \(first) here", now: now, kind: .error, in: buffers.activeKey)
      return []
    } else {
      msgid =
        active.lines.last { line in
          line.isSelf && !line.isRedacted && ChatBuffer.isReplayable(line)
        }?.msgid
    }
    guard let msgid else {
      status("No message of yours here to delete", now: now, kind: .error, in: buffers.activeKey)
      return []
    }
    let target = active.kind == .direct ? deliveryTarget(for: active.name) : active.name
    return [.send("REDACT \(target) \(msgid)" + (reason.isEmpty ? "" : " :\(reason)"))]
  }
}
