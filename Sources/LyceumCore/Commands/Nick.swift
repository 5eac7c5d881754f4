import LyceumProtocol

extension IRCServerCore {
  /// `NICK <nick>`: sets the nick before registration, or changes it after, telling the
  /// client and everyone who shares a channel with it.
  ///
  /// A nick that is an account's name is reserved for that account: after registration others
  /// get `433`; before it anyone may ask for it, and registration checks that they logged in.
  /// Before registration a connection may also ask for the nick of an account's client that
  /// is online: it gets that client (and nick) if it logs in to the account, else `433`.
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
      if !client.isRegistered, clients[owner]?.account != nil {
        // Tentative: claimed only if this connection turns out to be the same account.
        if let old = client.foldedNick, clientsByNick[old] == client.id { clientsByNick[old] = nil }
        client.nick = requested
        client.foldedNick = folded
        completeRegistrationIfReady(client, &replies)
        return
      }
      replies.numeric(.errNicknameInUse, requested, "Nickname is already in use")
      return
    }
    if client.isRegistered, let account = isReserved(folded, against: client) {
      replies.numeric(
        .errNicknameInUse, requested, "Nickname is reserved for account \(account.name)")
      return
    }
    if requested == client.nick { return }
    if client.isRegistered && needsNickClaim(client, folded) {
      requestNickClaim(client, nick: requested, folded: folded, session: replies.session)
      return
    }
    changeNick(client, to: requested, folded: folded, &replies)
  }

  /// Gives `client` the nick `requested` (folded `folded`), free here and, on a network,
  /// claimed for it; after registration, tells it and everyone who shares a channel with it.
  func changeNick(
    _ client: Client, to requested: String, folded: String, _ replies: inout Replies
  ) {
    let oldPrefix = client.prefix
    let (oldNick, oldFolded) = (client.nick, client.foldedNick)
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
      tags: serverTags(msgid: true, from: client), source: oldPrefix, command: "NICK",
      params: [requested])
    keepInChannels(change, of: client)
    publish(.nick(networkRef(client), line: NetworkLine(change)))
    if let oldFolded, oldFolded != folded { releaseNickClaim(of: client.id.raw, nick: oldFolded) }
    replies.send(change)
    replies.target = requested
    broadcastToPeers(of: client, change, except: replies.session, includingOwnSessions: true)
    if let oldNick, let oldFolded, oldFolded != folded {
      announceOffline(nick: oldNick, folded: oldFolded)
      announceOnline(client)
    }
  }
}
