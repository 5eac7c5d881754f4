import LyceumProtocol

extension IRCServerCore {
  /// `MARKREAD <target> [timestamp=YYYY-MM-DDThh:mm:ss.sssZ]` (IRCv3 `draft/read-marker`).
  ///
  /// Without a timestamp it asks for the marker: `MARKREAD <target> timestamp=…`, or `*` when
  /// there is none. With one it moves the marker forward: the time is clamped to the server's
  /// clock, and a time at or before the stored one leaves it as it is (the reply carries the
  /// stored value). A marker that moved is sent to the account's other sessions that negotiated
  /// the capability. The target is any valid channel name or nick, joined or not; markers are
  /// never shown to anyone else. A nick stands for its direct conversation: the marker is kept
  /// under the account of whoever uses the nick (see `readMarkerKey`). Errors are standard replies: `NEED_MORE_PARAMS`,
  /// `INVALID_PARAMS` (a bad target or timestamp, `*` included), `INTERNAL_ERROR` past
  /// `readMarkersPerAccount` targets.
  func handleMarkRead(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    guard let target = params.first, !target.isEmpty else {
      replies.standardReply(
        .fail, command: "MARKREAD", code: "NEED_MORE_PARAMS", description: "Missing parameters")
      return
    }
    let limits = configuration.limits
    guard
      IRCNames.isValidChannel(target, maxLength: limits.channelLength)
        || IRCNames.isValidNick(target, maxLength: limits.nickLength)
    else {
      replies.standardReply(
        .fail, command: "MARKREAD", code: "INVALID_PARAMS", context: [target],
        description: "Invalid target")
      return
    }
    let folded = readMarkerKey(target)
    let current = readMarker(for: client, target: folded)
    guard params.count > 1 else {
      replies.send(markReadMessage(target, current))
      return
    }
    let text = params[1]
    guard text.hasPrefix("timestamp="),
      let requested = ServerTime.parse(String(text.dropFirst("timestamp=".count)))
    else {
      replies.standardReply(
        .fail, command: "MARKREAD", code: "INVALID_PARAMS", context: [text],
        description: "Invalid timestamp")
      return
    }
    let time = min(requested, clock.wallClockMilliseconds())
    if let current, time <= current {
      replies.send(markReadMessage(target, current))
      return
    }
    guard current != nil || readMarkerCount(for: client) < limits.readMarkersPerAccount else {
      replies.standardReply(
        .fail, command: "MARKREAD", code: "INTERNAL_ERROR", context: [target, "too_many_targets"],
        description: "The read timestamp could not be set")
      return
    }
    setReadMarker(time, for: client, target: folded)
    let update = markReadMessage(target, time)
    replies.send(update)
    syncReadMarker(update, of: client, except: replies.session)
  }
}
