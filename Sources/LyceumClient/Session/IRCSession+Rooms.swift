import LyceumProtocol

/// Lyceum's room directory as the client shows it: the room's kind and description (the
/// server's `NOTICE` while we join, kept for the topic line), `LIST` with the description apart
/// from the topic, and `KNOCK` with its `710`–`714` replies.
extension IRCSession {
  /// Whether a `NOTICE` is the room's description: from the server (no `nick!user@host`), to a
  /// room we are joining, between our `JOIN` and the end of its names list.
  func isRoomDescription(_ message: IRCMessage) -> Bool {
    guard message.uppercasedCommand == "NOTICE", message.source?.contains("!") != true,
      let target = message.params.first, Self.isChannel(target), message.params.count > 1
    else { return false }
    return buffers[BufferKey(target: target)]?.isReceivingJoinBurst == true
  }

  /// Keeps the room's description for the topic line.
  mutating func noteRoomDescription(_ message: IRCMessage) {
    let description = RoomDescription(message.params[1])
    buffers.update(BufferKey(target: message.params[0])) { $0.roomDescription = description }
  }

  /// `/list [kind | mask | >n …]`: a word that names a kind asks for that kind's rooms
  /// (`LIST kind=research`); anything else goes to `LIST` as it is.
  func listCommand(_ words: [String]) -> [SessionEvent] {
    guard let first = words.first else { return [.send("LIST")] }
    if first.allSatisfy(\.isLetter) { return [.send("LIST kind=\(first.lowercased())")] }
    return [.send("LIST \(words.joined(separator: ","))")]
  }

  /// `/knock #room [reason]`: asks the room's operators for an invitation.
  func knockCommand(_ words: [String], _ rest: String) -> [SessionEvent]? {
    guard let room = words.first else { return nil }
    let channel = Self.isChannel(room) ? room : "#" + room
    let reason = String(rest.dropFirst(room.count).drop { $0 == " " })
    return [.send("KNOCK \(channel)" + (reason.isEmpty ? "" : " :\(reason)"))]
  }

  /// `710`–`714`: someone knocks on our room (we are its operator), our knock was delivered,
  /// or it was refused. Shown in the room's buffer when we have it, else the one on screen.
  mutating func handleKnockReply(_ code: Int, _ message: IRCMessage, now: Int64) {
    let params = message.params
    guard params.count >= 2 else { return }
    // `710 <#room> <#room> <nick!user@host> :…` names the room twice (no nick of ours);
    // the others are `<nick> <#room> :…`.
    let room = params[1]
    let key = buffers[BufferKey(target: room)] == nil ? buffers.activeKey : BufferKey(target: room)
    let text = params.last ?? ""
    switch code {
    case 710:
      // Someone waits at the door: shown as a mention is (red, counted, the bell rings).
      let knocker = UserHost(parsing: params.count >= 4 ? params[2] : "").nick
      let line = BufferLine(
        time: now, sender: knocker, kind: .notice,
        text: "\(text) /invite \(knocker) \(room) lets them in", isHighlight: true)
      buffers.update(key) { $0.insert(line) }
    case 711:
      status("\(room): \(text) Its operators may /invite you.", now: now, in: key)
    default:
      status("\(room): \(text)", now: now, kind: .error, in: key)
    }
  }
}
