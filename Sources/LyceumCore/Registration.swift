import LyceumProtocol

extension IRCServerCore {
  /// Completes registration once NICK and USER are in, capability negotiation is over and no
  /// account request is outstanding: checks the server password and nick reservation, joins
  /// the session to its account's client when that is already online, then sends the welcome
  /// burst (`001`–`005`, LUSERS, MOTD, user modes) and, for a joining session, its channels.
  func completeRegistrationIfReady(_ client: Client, _ replies: inout Replies) {
    let session = replies.session
    guard !session.isRegistered, client.nick != nil, client.user != nil,
      !session.isNegotiatingCapabilities, session.pendingAccountRequest == nil,
      session.pendingNickClaim == nil
    else { return }
    if session.sasl != nil {
      // Registration finished in the middle of an exchange: SASL 3.1 says abort it.
      abortSASL(session)
      replies.numeric(.errSASLAborted, "SASL authentication aborted")
    }
    if let password = configuration.password {
      guard let given = session.givenPassword, constantTimeEqual(given, password) else {
        replies.numeric(.errPasswdMismatch, "Password incorrect")
        finishEarly(&replies)
        disconnect(session.id, reason: "Bad password")
        return
      }
    }
    if let folded = client.foldedNick, let owner = isReserved(folded, against: client) {
      replies.target = "*"  // the nick is refused, so the client has none yet
      replies.numeric(
        .errNicknameInUse, client.nick ?? "*",
        "Nickname is reserved for account \(owner.name): log in or choose another nick")
      if clientsByNick[folded] == client.id { clientsByNick[folded] = nil }
      client.nick = nil
      client.foldedNick = nil
      return
    }
    if let wait = registrationThrottleWait(session) {
      finishEarly(&replies)
      let seconds = RateLimit.wholeSeconds(wait)
      disconnect(session.id, reason: "Registering too fast; try again in \(seconds) seconds")
      return
    }
    // Only a client of this node can take another session; one on another node cannot.
    let attachTo = client.account.flatMap { account in
      clients(ofAccount: account.foldedName).first {
        $0 !== client && $0.isRegistered && $0.home == nil
      }
    }
    if attachTo == nil, let folded = client.foldedNick, let nick = client.nick,
      clientsByNick[folded] == client.id, needsNickClaim(client, folded)
    {
      requestNickClaim(client, nick: nick, folded: folded, session: session)
      return
    }
    var member = client
    if let existing = attachTo {
      attach(session, to: existing, &replies)
      member = existing
    } else if let folded = client.foldedNick {
      if let holder = clientsByNick[folded], holder != client.id {
        replies.numeric(.errNicknameInUse, client.nick ?? "*", "Nickname is already in use")
        client.nick = nil
        client.foldedNick = nil
        return
      }
      clientsByNick[folded] = client.id
    }
    session.isRegistered = true
    let comesOnline = !member.isRegistered
    member.isRegistered = true
    if comesOnline { clientCounts.add(member) }
    if let limit = configuration.registrationThrottle, !session.postsFromListener,
      !configuration.throttleExemptIPs.contains(session.ip)
    {
      registrations.record(addressGroup(session), limit: limit, now: clock.monotonicNow())
    }
    session.givenPassword = nil
    replies.target = member.displayNick
    sendWelcome(to: member, &replies)
    if member.modeString != "+" {
      replies.send(
        IRCMessage(
          source: member.prefix, command: "MODE", params: [member.displayNick, member.modeString]))
    }
    if member !== client { sendChannelState(of: member, &replies) }
    if comesOnline {
      announceOnline(member)
      publish(.introduce(networkUser(member)))
    }
    requestConnectCatchUp(of: member, attached: member !== client, &replies)
  }

  /// How long `session`'s IP must wait before another registration, under
  /// `CoreConfiguration.registrationThrottle`; nil when it may register now.
  private func registrationThrottleWait(_ session: Session) -> Duration? {
    guard let limit = configuration.registrationThrottle, !session.postsFromListener,
      !configuration.throttleExemptIPs.contains(session.ip)
    else { return nil }
    return registrations.retryAfter(
      addressGroup(session), limit: limit, now: clock.monotonicNow())
  }

  /// What the registration throttle counts `session` under: its address, or its IPv6 prefix.
  private func addressGroup(_ session: Session) -> String {
    AddressGroup.key(for: session.ip, ipv6PrefixLength: configuration.ipv6PrefixLength)
  }

  /// Flushes replies gathered so far, for a command that is about to drop its connection.
  func finishEarly(_ replies: inout Replies) {
    finish(replies, label: nil)
    replies = Replies(
      serverName: configuration.serverName, target: replies.target, session: replies.session)
  }

  private func sendWelcome(to client: Client, _ replies: inout Replies) {
    let config = configuration
    replies.numeric(
      .welcome, "Welcome to the \(config.networkName) IRC Network \(client.prefix)")
    replies.numeric(
      .yourHost, "Your host is \(config.serverName), running version \(config.version)")
    replies.numeric(
      .created,
      "This server was created \(ServerTime.format(milliseconds: config.createdAtMilliseconds))")
    replies.numeric(
      .myInfo, config.serverName, config.version, Self.userModes, Self.channelModes,
      Self.channelModesWithParameter)
    sendISupport(&replies)
    sendLusers(to: client, replies: &replies)
    sendMotd(to: client, replies: &replies)
  }

  /// `005 RPL_ISUPPORT`, at most 13 tokens a line.
  func sendISupport(_ replies: inout Replies) {
    let tokens = isupportTokens
    var index = 0
    while index < tokens.count {
      let chunk = Array(tokens[index..<min(index + 13, tokens.count)])
      replies.numeric(.isupport, params: chunk + ["are supported by this server"])
      index += 13
    }
  }

  static let userModes = "Bio"
  static let channelModes = "CIbeiklmnostv"
  static let channelModesWithParameter = "Ibeklov"

  /// The ISUPPORT tokens, documented in `protocol/PROTOCOL.md`.
  var isupportTokens: [String] {
    let limits = configuration.limits
    var tokens = [
      "ACCOUNTEXTBAN=a",
      "AWAYLEN=\(limits.awayLength)",
      "BOT=B",
      "CASEMAPPING=\(configuration.caseMapping.rawValue)",
      "CHANLIMIT=#:\(limits.channelsPerClient)",
      "CHANMODES=Ibe,k,l,Cimnst",
      "CHANNELLEN=\(limits.channelLength)",
      "CHANTYPES=#",
      "ELIST=MU",
      "EXCEPTS=e",
      "EXTBAN=$,aim",
      "INVEX=I",
      "KICKLEN=\(limits.kickLength)",
      "KNOCK",
      "MAXLIST=beI:\(limits.listEntries)",
      "MAXTARGETS=\(limits.targetsPerCommand)",
      "MODES=\(limits.modesPerCommand)",
      "MONITOR=\(limits.monitorEntries)",
      "NETWORK=\(configuration.networkName)",
      "NICKLEN=\(limits.nickLength)",
      "PREFIX=(ov)@+",
      "SAFELIST",
      "STATUSMSG=@+",
      "TARGMAX=JOIN:,KICK:\(limits.targetsPerCommand),LIST:,NAMES:,NOTICE:\(limits.targetsPerCommand),PART:,"
        + "PRIVMSG:\(limits.targetsPerCommand),TAGMSG:\(limits.targetsPerCommand),"
        + "WHOIS:\(limits.targetsPerCommand)",
      "TOPICLEN=\(limits.topicLength)",
      "USERLEN=\(limits.userLength)",
      "UTF8ONLY",
      "WHOX",
    ]
    if configuration.historyEnabled {
      // draft/chathistory: the most messages one command returns, and the references it takes.
      tokens.append("CHATHISTORY=\(max(1, limits.historyMaxMessages))")
      tokens.append("MSGREFTYPES=timestamp,msgid")
      tokens.sort()
    }
    return tokens
  }
}
