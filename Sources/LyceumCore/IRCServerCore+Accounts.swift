import LyceumProtocol

/// Accounts in the core: the in-memory directory, answers from the account service, logging
/// in, nick reservation, and sessions of one account joining one client.
extension IRCServerCore {
  /// Replaces the directory of accounts (at start-up and on reload, from the store). Clients
  /// logged in to a changed account get its new role and institution. Sessions of deleted
  /// accounts, and sessions whose credential was revoked, are ended by
  /// `endRevokedSessions(_:asOf:)`, which the server calls right after.
  public func loadAccounts(_ summaries: [AccountSummary]) {
    accounts = Dictionary(summaries.map { ($0.foldedName, $0) }, uniquingKeysWith: { $1 })
    for summary in summaries { accountUpdated(summary) }
  }

  /// An account was created or changed outside the protocol (the admin subcommand, an
  /// operator): keep the directory and logged-in clients current.
  public func accountUpdated(_ summary: AccountSummary) {
    accounts[summary.foldedName] = summary
    // A client of an earlier account of the same name (deleted, then created again) keeps
    // its old summary: `endRevokedSessions` ends it.
    for client in clients(ofAccount: summary.foldedName)
    where client.account?.createdAtMilliseconds == summary.createdAtMilliseconds {
      client.account = summary
      if summary.role == .bot && !client.isBot {
        client.isBot = true
        deliver(
          IRCMessage(source: client.prefix, command: "MODE", params: [client.displayNick, "+B"]),
          to: client)
      }
    }
  }

  /// The account service's answer to the request `id`'s connection made.
  public func accountResponse(_ response: AccountResponse, for id: ClientID) {
    guard let session = sessions[id] else { return }
    if session.staleAccountAnswers > 0 {
      session.staleAccountAnswers -= 1
      return
    }
    guard let pending = session.pendingAccountRequest else { return }
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    if let audit = Self.audit(response, pending, client: session.client.prefix, ip: session.ip) {
      outbox.events.append(.audit(audit))
    }
    switch pending {
    case .sasl: applySASL(response, session, &replies)
    case .passwordLogin: applyPasswordLogin(response, session, &replies)
    case .register(let account): applyRegister(response, account: account, session, &replies)
    case .admin(let command): applyAdmin(response, command: command, session, &replies)
    }
    finish(replies, label: nil)
    replayDeferred(session)
  }

  /// What the log keeps of an account answer: logins and registrations, and administration
  /// over IRC; SASL challenges in between are not events.
  static func audit(
    _ response: AccountResponse, _ pending: PendingAccountRequest, client: String, ip: String
  ) -> AuditEvent? {
    let method: String
    var account: String?
    switch pending {
    case .sasl: method = "SASL"
    case .passwordLogin: method = "PASS"
    case .register(let name):
      method = "REGISTER"
      account = name
    case .admin(let command):
      switch response {
      case .adminSucceeded(let outcome):
        return .accountChange(
          command: command, client: client, account: outcome.updated?.name ?? outcome.deleted,
          ip: ip, succeeded: true)
      case .adminFailed:
        return .accountChange(
          command: command, client: client, account: nil, ip: ip, succeeded: false)
      default: return nil
      }
    }
    switch response {
    case .loggedIn(let summary, _), .registered(let summary, _):
      return .login(
        method: method, account: summary.name, client: client, ip: ip, outcome: .succeeded)
    case .authenticationFailed:
      return .login(
        method: method, account: account, client: client, ip: ip,
        outcome: .failed("wrong credentials"))
    case .registrationFailed(let code, _):
      return .login(
        method: method, account: account, client: client, ip: ip, outcome: .failed(code))
    case .throttled:
      return .login(method: method, account: account, client: client, ip: ip, outcome: .throttled)
    case .malformed:
      return .login(
        method: method, account: account, client: client, ip: ip, outcome: .failed("malformed"))
    default:
      return nil
    }
  }

  /// Runs the messages held back while the request was outstanding, until another request
  /// holds the rest back again.
  func replayDeferred(_ session: Session) {
    while sessions[session.id] === session, session.pendingAccountRequest == nil,
      session.pendingHistoryRequest == nil, session.pendingNickClaim == nil,
      !session.deferred.isEmpty
    {
      run(session.deferred.removeFirst(), session)
    }
  }

  private func applySASL(_ response: AccountResponse, _ session: Session, _ replies: inout Replies)
  {
    session.sasl?.awaitingService = false
    switch response {
    case .saslChallenge(let bytes):
      // Answered: now it is the client's turn, and its next line may go ahead.
      session.pendingAccountRequest = nil
      sendSASLChallenge(bytes, &replies)
      return
    case .loggedIn(let summary, let credential):
      session.sasl = nil
      session.pendingAccountRequest = nil
      logIn(session, to: summary, via: credential, &replies)
      replies.numeric(.saslSuccess, "SASL authentication successful")
    case .throttled(let seconds):
      session.sasl = nil
      session.pendingAccountRequest = nil
      replies.numeric(
        .errSASLFail,
        "SASL authentication failed: too many failed attempts, try again in \(seconds) seconds")
    default:
      session.sasl = nil
      session.pendingAccountRequest = nil
      replies.numeric(.errSASLFail, "SASL authentication failed")
    }
    completeRegistrationIfReady(session.client, &replies)
  }

  private func applyPasswordLogin(
    _ response: AccountResponse, _ session: Session, _ replies: inout Replies
  ) {
    session.pendingAccountRequest = nil
    switch response {
    case .loggedIn(let summary, let credential):
      logIn(session, to: summary, via: credential, &replies)
      completeRegistrationIfReady(session.client, &replies)
    case .throttled(let seconds):
      replies.numeric(.errPasswdMismatch, "Too many failed logins; try again in \(seconds) seconds")
      finishEarly(&replies)
      disconnect(session.id, reason: "Too many failed logins")
    default:
      replies.numeric(.errPasswdMismatch, "Password incorrect")
      finishEarly(&replies)
      disconnect(session.id, reason: "Bad password")
    }
  }

  private func applyRegister(
    _ response: AccountResponse, account: String, _ session: Session, _ replies: inout Replies
  ) {
    session.pendingAccountRequest = nil
    switch response {
    case .registered(let summary, let credential):
      accounts[summary.foldedName] = summary
      publish(.account(summary))
      replies.fromServer("REGISTER", "SUCCESS", summary.name, "Account created")
      logIn(session, to: summary, via: credential, &replies)
    case .registrationFailed(let code, let description):
      replies.standardReply(
        .fail, command: "REGISTER", code: code, context: [account], description: description)
    case .throttled(let seconds):
      replies.standardReply(
        .fail, command: "REGISTER", code: "TEMPORARILY_UNAVAILABLE", context: [account],
        description: "Too many attempts; try again in \(seconds) seconds")
    default:
      replies.standardReply(
        .fail, command: "REGISTER", code: "TEMPORARILY_UNAVAILABLE", context: [account],
        description: "Registration failed; try again later")
    }
    completeRegistrationIfReady(session.client, &replies)
  }

  /// Logs a connection's client in: `900`, `+B` for bots, and `ACCOUNT` to peers with
  /// `account-notify` once the client is visible. A connection that has not registered yet
  /// joins the account's existing client, if it has one, when it registers.
  func logIn(
    _ session: Session, to summary: AccountSummary, via credential: LoginCredential,
    _ replies: inout Replies
  ) {
    let client = session.client
    client.account = summary
    session.login = credential
    session.loggedInAtMilliseconds = clock.wallClockMilliseconds()
    let becomesBot = summary.role == .bot && !client.isBot
    if becomesBot { client.isBot = true }
    replies.numeric(
      .loggedIn, client.prefix, summary.name, "You are now logged in as \(summary.name)")
    guard client.isRegistered else { return }
    if becomesBot {
      // Already welcomed: tell every session about the mode the account gave it.
      let mode = IRCMessage(
        source: client.prefix, command: "MODE", params: [client.displayNick, "+B"])
      replies.send(mode)
      deliver(mode, to: client, except: session)
    }
    let notice = IRCMessage(
      tags: serverTags(msgid: false, from: client), source: client.prefix, command: "ACCOUNT",
      params: [summary.name])
    broadcastToPeers(
      of: client, notice, except: session, includingOwnSessions: true, requiring: .accountNotify)
    notifyExtendedMonitors(of: client, notice, requiring: .accountNotify)
    publish(.introduce(networkUser(client)))
  }

  /// The registered client already online for `account`, other than `client`.
  func onlineClient(ofAccount account: AccountSummary, other client: Client?) -> Client? {
    clients(ofAccount: account.foldedName).first { $0 !== client && $0.isRegistered }
  }

  /// Whether `nick` belongs to an account that `client` is not logged in to.
  func isReserved(_ folded: String, against client: Client) -> AccountSummary? {
    guard let owner = accounts[folded], client.account?.foldedName != owner.foldedName else {
      return nil
    }
    return owner
  }

  /// Moves a just-registering session from its provisional client to the account's client
  /// that is already online, and gives it that client's state: welcome under its nick, then
  /// JOIN, topic and names for each of its channels.
  func attach(_ session: Session, to existing: Client, _ replies: inout Replies) {
    let provisional = session.client
    provisional.sessions.removeAll { $0 === session }
    if let folded = provisional.foldedNick, clientsByNick[folded] == provisional.id {
      clientsByNick[folded] = nil
    }
    if provisional.sessions.isEmpty {
      clients[provisional.id] = nil
      provisional.account = nil  // out of the account index
      if provisional.claimedNick != nil { releaseNickClaim(of: provisional.id.raw, nick: nil) }
    }
    session.client = existing
    existing.sessions.append(session)
    replies.target = existing.displayNick
  }

  /// After an attached session's welcome: the channels its client is already in.
  func sendChannelState(of client: Client, _ replies: inout Replies) {
    for folded in client.channels.sorted() {
      guard let channel = channels[folded] else { continue }
      let capabilities = replies.session.capabilities
      let params =
        capabilities.contains(.extendedJoin)
        ? [channel.name, client.account?.name ?? "*", client.realname] : [channel.name]
      replies.send(
        IRCMessage(
          tags: serverTags(msgid: false, from: client), source: client.prefix, command: "JOIN",
          params: params))
      sendJoinDetails(of: channel, to: client, &replies)
    }
  }
}
