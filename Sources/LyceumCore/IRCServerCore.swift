import LyceumProtocol

/// The IRC server's state and rules, with no I/O.
///
/// The transport feeds it connection events and parsed messages; it changes state and
/// accumulates an `Outbox` of bytes per client. It is not thread-safe: the server confines it to
/// one serial queue. Tests drive it directly with a `ManualClock`.
public final class IRCServerCore {
  public internal(set) var configuration: CoreConfiguration
  let clock: any ServerClock

  /// Every person on the server (and every provisional client of a connection that has not
  /// registered yet), by the id of the connection that created it.
  public internal(set) var clients: [ClientID: Client] = [:]
  /// Every connection, by its id.
  public internal(set) var sessions: [ClientID: Session] = [:]
  /// Registered and pre-registration nicks, folded, to their owner.
  var clientsByNick: [String: ClientID] = [:]
  public internal(set) var channels: [String: Channel] = [:]
  /// The direct conversations with history, under each of their two folded account names.
  var directConversations: [String: Set<HistoryTarget>] = [:]
  /// Every registered account, by folded name: for nick reservation and WHOIS.
  public internal(set) var accounts: [String: AccountSummary] = [:]
  /// Clients by the account they are logged in to (kept by `Client.account`).
  let accountIndex = AccountIndex()
  var whowas = WhowasHistory(capacity: 1000)
  var messageIDs = MessageIDGenerator()
  var outbox = Outbox(generation: 1)  // sessions start at 0: not yet in any outbox
  var batchCounter: UInt64 = 0
  /// Connections whose client closed its sending side, to close once their commands have run.
  var inputEndedSessions: Set<ClientID> = []
  /// What the message being run sends its sender instead, should its kept entries fail to be
  /// stored (`FAIL … TEMPORARILY_UNAVAILABLE`, after its error replies); set by
  /// `handleMessage`, taken by `run`.
  var withheldReplies: [IRCMessage] = []
  /// The id of the last history request raised.
  var historyRequestCounter: UInt64 = 0
  /// Registered clients, invisible ones and operators, here and on the network, counted as
  /// they change, for `LUSERS`.
  let clientCounts = ClientCounts()
  /// Connections with commands waiting under flood control.
  var floodQueued: Set<ClientID> = []
  /// Recent registrations per IP, for `CoreConfiguration.registrationThrottle`.
  var registrations = SlidingWindowLimiter()
  /// Recent failed `OPER` attempts, by `ip <address>` and by `oper <name>`.
  var operFailures = SlidingWindowLimiter()
  /// Read markers (`draft/read-marker`) by folded account, then folded target: milliseconds.
  var readMarkers: [String: [String: Int64]] = [:]
  /// Direct messages kept for accounts while they were offline, by folded account, since each
  /// last connected (`limits.offlineMessages`). In memory: a restart starts them at zero.
  var offlineMessageCounts: [String: Int] = [:]
  /// Who watches which nick with `MONITOR`.
  var monitors = MonitorIndex()
  /// The last kept messages, for `REDACT`.
  var recentMessages = RecentMessages()
  /// This node's id for this run, when the server is one node of a network (`joinNetwork`).
  var networkNode: String?
  /// The other nodes' clients known here, by their ref, to their local id.
  var remoteClients: [NetworkClientRef: ClientID] = [:]
  /// Local ids for remote clients, far above any connection's id.
  var nextRemoteClientID: UInt64 = 1 << 62

  public init(configuration: CoreConfiguration, clock: any ServerClock) {
    self.configuration = configuration
    self.clock = clock
    self.whowas = WhowasHistory(capacity: configuration.limits.whowasEntries)
  }

  /// A session and its client hold each other (`Session.client`, `Client.sessions`);
  /// `removeSession` breaks that cycle when a connection goes. A core released with connections
  /// still open (the core tests, a server torn down in-process) breaks it here, or those
  /// sessions and clients would never be freed (LeakSanitizer reports them).
  deinit {
    for session in sessions.values { session.client.sessions.removeAll() }
  }

  // MARK: - Entry points

  /// A connection was accepted (after its TLS handshake). It gets a provisional client of its
  /// own until registration decides who it speaks for.
  public func clientConnected(
    _ id: ClientID, ip: String, isTLS: Bool, certificateFingerprint: String? = nil,
    transportHandle: TransportHandle? = nil
  ) {
    let now = clock.monotonicNow()
    let client = Client(
      id: id, ip: ip, isTLS: isTLS, now: now, wallMilliseconds: clock.wallClockMilliseconds(),
      accountIndex: accountIndex, counts: clientCounts)
    let session = Session(
      id: id, ip: ip, isTLS: isTLS, client: client, now: now, transportHandle: transportHandle)
    session.tlsCertificateFingerprint = certificateFingerprint
    client.sessions = [session]
    clients[id] = client
    sessions[id] = session
    if sessions.count > configuration.limits.maxClients {
      disconnect(id, reason: "Server is full")
    }
  }

  /// At most this many messages wait behind an outstanding account request; more is a flood.
  static let maxDeferredMessages = 64
  /// At most this many wait behind a history read: a client catching up may pipeline a
  /// `CHATHISTORY` for each of its channels (flood control bounds the rate on its own).
  static let maxDeferredBehindHistory = 512
  /// The same for a client exempt from flood control (a bot account, an operator), which may
  /// join a room (a replay read) and pipeline its whole announcement at once: trusted, yet
  /// still bounded (about 10 000 × 512 bytes at worst).
  static let maxDeferredBehindHistoryExempt = 10_000

  /// One parsed message from a connection: it counts as activity at once, then runs now or
  /// waits its turn under flood control (see `CommandFloodLimits`).
  public func receive(_ message: IRCMessage, from id: ClientID) {
    guard let session = sessions[id] else { return }
    session.lastActivity = clock.monotonicNow()
    session.pingSentAt = nil
    admit(message, session)
  }

  /// Runs one message that flood control let through; it may still wait behind an account
  /// request.
  func run(_ message: IRCMessage, _ session: Session) {
    let id = session.id
    let command = message.uppercasedCommand
    // Only `AUTHENTICATE *` for the SASL exchange being waited on may go ahead (to abort it);
    // everything else, the exchange's own next line included, waits for the answer, so that
    // nothing takes the request over and no `904` comes in the middle of an exchange.
    // A history read being waited on holds everything back, so replies keep command order.
    let waiting = session.pendingAccountRequest
    let isAbort = command == "AUTHENTICATE" && message.params.first == "*"
    let waitingForNetwork = session.pendingNickClaim != nil
    if session.pendingHistoryRequest != nil || waitingForNetwork
      || (waiting != nil && !(waiting == .sasl && isAbort))
    {
      let exempt = configuration.commandFlood.map { isFloodExempt(session.client, $0) } ?? false
      let limit =
        waiting != nil || waitingForNetwork
        ? Self.maxDeferredMessages
        : exempt ? Self.maxDeferredBehindHistoryExempt : Self.maxDeferredBehindHistory
      guard session.deferred.count < limit else {
        let what = waiting != nil ? "login" : waitingForNetwork ? "nick" : "history"
        disconnect(id, reason: "Excess flood (waiting for \(what))")
        return
      }
      session.deferred.append(message)
      return
    }
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    let label = labelIfApplicable(message, session: session)
    // A message is a part of its own, withheld as a whole if what it keeps cannot be stored.
    // (A multiline message is sent by the `BATCH` that closes it.)
    let isMessage =
      command == "PRIVMSG" || command == "NOTICE" || command == "TAGMSG" || command == "BATCH"
      || command == "REDACT"
    if isMessage { outbox.beginPart() }
    if Self.clientTagBytes(message) > Self.maxClientTagBytes {
      replies.numeric(.errInputTooLong, "Input line was too long")
    } else if case .some(.some(let batchID)) = message.tag("batch") {
      receiveBatchedLine(message, batchID: batchID, &replies)
    } else {
      dispatch(command: command, message: message, client: session.client, replies: &replies)
    }
    finish(replies, label: replies.labelDeferred ? nil : replies.labelOverride ?? label)
    if isMessage { endMessagePart(session, label: replies.labelOverride ?? label) }
    // `AUTHENTICATE *` ended the exchange being waited on: what was held back runs now.
    if waiting != nil && session.pendingAccountRequest == nil { replayDeferred(session) }
  }

  /// A line that could not be turned into a message; answered without disconnecting.
  public func receiveInvalidLine(_ problem: InputProblem, from id: ClientID) {
    guard let session = sessions[id] else { return }
    session.lastActivity = clock.monotonicNow()
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    switch problem {
    case .tooLong:
      replies.numeric(.errInputTooLong, "Input line was too long")
    case .invalidUTF8(let command):
      replies.standardReply(
        .fail, command: command ?? "*", code: "INVALID_UTF8",
        description: "Message rejected: it is not valid UTF-8")
    case .malformed:
      replies.standardReply(
        .fail, command: "*", code: "INVALID_MESSAGE",
        description: "Line ignored: no command, bad tags, or a NUL or stray CR in it")
    }
    finish(replies, label: nil)
  }

  /// The connection must go: tell it why with `ERROR`, then close it. If it was its client's
  /// last session, the client quits (peers see `QUIT`); otherwise the client stays online on
  /// its other sessions. Used for QUIT, floods, timeouts and `KILL` (which calls it for every
  /// session); the transport closes after flushing.
  public func disconnect(_ id: ClientID, reason: String) {
    guard let session = sessions[id] else { return }
    let error = IRCMessage(
      command: "ERROR", params: ["Closing Link: \(session.client.host) (\(reason))"])
    var bytes: [UInt8] = []
    error.appendSerialized(to: &bytes)
    outbox.append(bytes, to: session)
    removeSession(session, quitMessage: reason)
    outbox.closes.append(id)
  }

  /// The transport lost the connection (the peer closed, an I/O error, a full send queue).
  public func connectionClosed(_ id: ClientID, reason: String) {
    guard let session = sessions[id] else { return }
    removeSession(session, quitMessage: reason)
  }

  /// Enforces registration and ping timeouts and runs queued commands whose time has come.
  /// The server calls it periodically (and at `nextFloodDeadline`).
  public func tick() {
    drainFloodQueues()
    let now = clock.monotonicNow()
    let timeouts = configuration.timeouts
    for session in Array(sessions.values) {
      if session.multiline != nil { expireMultiline(session, now: now) }
      if !session.isRegistered {
        if now - session.connectedAt >= timeouts.registration {
          disconnect(session.id, reason: "Registration timed out")
        }
      } else if let sentAt = session.pingSentAt {
        if now - sentAt >= timeouts.pingTimeout {
          let seconds = Int((now - session.lastActivity).components.seconds)
          disconnect(session.id, reason: "Ping timeout: \(seconds) seconds")
        }
      } else if now - session.lastActivity >= timeouts.pingInterval {
        session.pingSentAt = now
        deliver(IRCMessage(command: "PING", params: [configuration.serverName]), to: session)
      }
    }
  }

  /// The IRCv3 message-tags limit on the tag data a client may send (between `@` and space).
  static let maxClientTagBytes = 4094

  /// Bytes the message's tags take on the wire between `@` and the space, as the client sent
  /// them (every tag counts, client-only or not).
  static func clientTagBytes(_ message: IRCMessage) -> Int {
    guard !message.tags.isEmpty else { return 0 }
    var total = message.tags.count - 1
    for tag in message.tags {
      total += tag.key.utf8.count
      if let value = tag.value, !value.isEmpty {
        total += 1 + TagEscaping.escape(value).utf8.count
      }
    }
    return total
  }

  /// The client closed its sending side (a script piping its lines, `nc -N`): nothing more
  /// will come from it. Every command it sent still runs (those waiting under flood control,
  /// behind a login or a history read included), then the connection is closed with `ERROR`
  /// (peers see `QUIT :Connection closed`).
  public func inputEnded(_ id: ClientID) {
    guard sessions[id] != nil else { return }
    inputEndedSessions.insert(id)
  }

  /// Closes the connections whose input ended once nothing of theirs waits to run.
  private func closeSessionsWhoseInputEnded() {
    for id in inputEndedSessions {
      guard let session = sessions[id] else {
        inputEndedSessions.remove(id)
        continue
      }
      guard session.deferred.isEmpty, session.budget.queue.isEmpty,
        session.pendingAccountRequest == nil, session.pendingHistoryRequest == nil,
        session.pendingNickClaim == nil
      else { continue }
      inputEndedSessions.remove(id)
      disconnect(id, reason: "Connection closed")
    }
  }

  /// Everything produced since the last call.
  public func takeOutbox() -> Outbox {
    if !inputEndedSessions.isEmpty { closeSessionsWhoseInputEnded() }
    defer { outbox = Outbox(generation: outbox.generation + 1) }
    return outbox
  }

  /// Replaces the configuration (REHASH/SIGHUP); nobody is disconnected.
  public func reconfigure(_ configuration: CoreConfiguration) {
    self.configuration = configuration
    whowas.capacity = configuration.limits.whowasEntries
    applyConfiguredRooms()
  }

  /// Sends `ERROR` to every connection and forgets them; for shutdown.
  public func disconnectAll(reason: String) {
    for id in Array(sessions.keys) { disconnect(id, reason: reason) }
  }

  // MARK: - Shared helpers for command handlers

  var caseMapping: CaseMapping { configuration.caseMapping }

  func fold(_ name: String) -> String { caseMapping.fold(name) }

  func client(named nick: String) -> Client? {
    clientsByNick[fold(nick)].flatMap { clients[$0] }
  }

  func channel(named name: String) -> Channel? { channels[fold(name)] }

  /// The channel called `name`, or nil after replying `403 ERR_NOSUCHCHANNEL`.
  func existingChannel(_ name: String, _ replies: inout Replies) -> Channel? {
    if let channel = channel(named: name) { return channel }
    replies.numeric(.errNoSuchChannel, name, "No such channel")
    return nil
  }

  /// `client`'s membership of `channel`, or nil after replying `442 ERR_NOTONCHANNEL`.
  func membership(of client: Client, in channel: Channel, _ replies: inout Replies)
    -> Membership?
  {
    if let membership = channel.members[client.id] { return membership }
    replies.numeric(.errNotOnChannel, channel.name, "You're not on that channel")
    return nil
  }

  /// Registered clients now, kept as a running count (registration and removal move it), so
  /// that a storm of registrations does not count every client each time.
  var registeredClientCount: Int { clientCounts.registered }

  /// Tags every relayed message carries: `time`, `msgid` when asked for, and `account` when
  /// the message is from a client that is logged in (IRCv3 account-tag).
  func serverTags(msgid: Bool, from client: Client? = nil) -> [IRCTag] {
    let now = clock.wallClockMilliseconds()
    var tags = [IRCTag("time", ServerTime.format(milliseconds: now))]
    if msgid { tags.append(IRCTag("msgid", messageIDs.next(wallClockMilliseconds: now))) }
    if let account = client?.account { tags.append(IRCTag("account", account.name)) }
    return tags
  }

  func nextBatchID() -> String {
    batchCounter += 1
    return "b\(batchCounter)"
  }
}

/// A line the framer or parser could not accept.
public enum InputProblem: Sendable, Equatable {
  /// Longer than the tag or body limit (`417`).
  case tooLong
  /// Not valid UTF-8; the command word when it could be read (`FAIL <cmd> INVALID_UTF8`).
  case invalidUTF8(command: String?)
  /// No command, a malformed tag section, or a NUL or stray CR (`FAIL * INVALID_MESSAGE`).
  case malformed
}
