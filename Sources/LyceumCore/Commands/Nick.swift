import LyceumProtocol

extension IRCServerCore {
  /// `NICK <nick>`: sets the nick before registration, or changes it after, telling the
  /// client and everyone who shares a channel with it.
  func handleNick(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard let requested = message.params.first, !requested.isEmpty else {
      replies.numeric(.errNoNicknameGiven, "No nickname given")
      return
    }
    guard IRCNames.isValidNick(requested, maxLength: configuration.limits.nickLength) else {
      replies.numeric(.errErroneusNickname, requested, "Erroneus nickname")
      return
    }
    let folded = fold(requested)
    if let owner = clientsByNick[folded], owner != client.id {
      replies.numeric(.errNicknameInUse, requested, "Nickname is already in use")
      return
    }
    if requested == client.nick { return }
    let oldPrefix = client.prefix
    if let old = client.foldedNick, clientsByNick[old] == client.id { clientsByNick[old] = nil }
    clientsByNick[folded] = client.id
    if client.isRegistered {
      whowas.record(client, atMilliseconds: clock.wallClockMilliseconds(), caseMapping: caseMapping)
    }
    client.nick = requested
    client.foldedNick = folded
    guard client.isRegistered else {
      completeRegistrationIfReady(client, &replies)
      return
    }
    let change = IRCMessage(
      tags: serverTags(msgid: true), source: oldPrefix, command: "NICK", params: [requested])
    replies.send(change)
    replies.target = requested
    broadcastToPeers(of: client, change, except: replies.session, includingOwnSessions: true)
  }
}
