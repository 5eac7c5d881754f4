import Dispatch
import Logging
import LyceumCore
import LyceumProtocol
import LyceumTransport
import Synchronization

/// Owns the protocol core and runs it on one serial queue; moves input from sessions into it
/// and its outbox out to connections.
///
/// `@unchecked Sendable`: `core` and `connections` are touched only on `queue`.
final class CoreHub: @unchecked Sendable {
  let queue = DispatchQueue(label: "lyceum.core")
  /// Internal for the hub's extensions (`CoreHub+BotPosts.swift`); touched only on `queue`.
  let core: IRCServerCore
  private var connections: [ClientID: Connection] = [:]
  let logger: Logger
  /// Called (on `queue`) when an operator asks for a reload.
  var onRehash: (@Sendable (String) -> Void)?
  /// Answers account requests; runs in `accountPool`, never on the core's queue, since a
  /// password check costs an scrypt run and the store may touch the disk.
  private let accountHandler: (@Sendable (AccountRequest) -> AccountResponse?)?
  /// Password checks run here, a few at once, fairly between client addresses.
  let accountPool = FairWorkPool(label: "lyceum.accounts")
  /// Nick claims in the network's database run here, apart from password checks, so that a
  /// storm of logins (scrypt) never delays a registration's round trip to the database; a
  /// connection's claims run in order.
  let claimPool = FairWorkPool(workers: 4, label: "lyceum.network-claims")
  /// Checks a bots-listener line's API token (never a password); nil when accounts are off.
  let checkBotToken: Services.CheckBotToken?
  /// The bots-listener connections with a core session, by that session's id: its output
  /// goes to them instead of to a socket. Touched on `queue`.
  var botConnections: [ClientID: BotConnection] = [:]
  /// The address of each connection with an account request in the pool, so that its
  /// `AUTHENTICATE *` (which carries none) queues behind its earlier steps. Touched on `queue`.
  private var accountRequestAddresses: [UInt64: (ip: String, count: Int)] = [:]
  /// Stores registered rooms' changes; nil when rooms are not persisted.
  private let roomWriter: StoreWriter?
  /// Stores moved read markers; nil when they are not persisted.
  private let readMarkerWriter: StoreWriter?
  /// Claims nicks in the network's database; nil for a server on its own.
  private let claimNick: (@Sendable (NickClaim) -> Bool)?
  private let releaseNick: (@Sendable (NickRelease) -> Void)?
  private let publicationFailed: (@Sendable (String) -> Void)?
  /// Stores history entries durably and calls back with whether they were committed (the
  /// server's group-commit writer); nil when history is off.
  private let keepHistory: Services.KeepHistory?
  /// Output waiting for its history entries to be committed, per connection.
  /// Internal for the hub's extensions; touched only on `queue`.
  var holds = OutputHolds(limit: CoreHub.heldBytesLimit)
  /// Commit outcomes reported by the history writer and not yet applied: a group commit
  /// answers many flushes at once, and applying them in one pass on `queue` sends their
  /// output in one hand-off per I/O loop instead of one per flush.
  private let committedTickets = Mutex<(outcomes: [(UInt64, Bool)], scheduled: Bool)>(([], false))
  /// `receive` blocks handed to `queue` and not yet run (see `flushUnlessMoreInputIsQueued`).
  private let queuedReceives = Atomic<Int>(0)
  /// Raised for each `receive` block queued and each commit under way, so that the loops'
  /// drains wait for their output instead of writing a burst's first line on its own (see
  /// `UpstreamWork`).
  private let upstream: UpstreamWork
  /// Whether a `receive` block's output waits for the blocks behind it. Touched on `queue`.
  private var flushDeferral = FlushDeferral()
  /// The sessions by client, for pausing a connection's reading while too much is held for it.
  private var sessions: [ClientID: ClientSession] = [:]
  /// Called once nothing is held any more (shutdown waits for its last lines this way).
  private var whenDrained: [@Sendable () -> Void] = []
  /// Bytes of output one connection may have waiting for commits before its reading pauses.
  static let heldBytesLimit = 64 * 1024
  /// How long shutdown waits for held output (a stalled disk) before it goes anyway.
  static let shutdownHoldTimeout: DispatchTimeInterval = .seconds(5)
  /// The history store and its read queue (see `CoreHub+History.swift`).
  let historyReader: HistoryReader
  private var tickTimer: DispatchSourceTimer?
  private let clock: any ServerClock
  /// One-shot timer for flood control: fires when the first queued command can run.
  private let drainTimer: DispatchSourceTimer
  /// The core deadline `drainTimer` is set for; nil when it is idle.
  private var drainArmedFor: Duration?

  /// What the hub reaches outside the core. Given at construction and fixed for the hub's
  /// life, so no order of wiring steps on a running hub matters.
  struct Services: Sendable {
    /// Keeps entries and publishes to the network in one commit; reports whether it was.
    typealias KeepHistory =
      @Sendable (
        [HistoryEntry], NetworkPublication?, @escaping @Sendable (Bool) -> Void
      ) -> Void
    /// `(ip, account, secret)`: the account service's token-only login.
    typealias CheckBotToken = @Sendable (String, String, String) -> AccountResponse
    var accountHandler: (@Sendable (AccountRequest) -> AccountResponse?)?
    var keepHistory: KeepHistory?
    /// Where CHATHISTORY reads; nil answers every read with `FAIL`.
    var historyStore: (any HistoryStore)?
    var roomWriter: StoreWriter?
    var readMarkerWriter: StoreWriter?
    var checkBotToken: CheckBotToken?
    /// This node's id, when the server is one node of a network.
    var networkNode: String?
    /// Claims a nick in the network's database (blocking; run off the hub's queue).
    var claimNick: (@Sendable (NickClaim) -> Bool)?
    /// Gives a nick claim up (blocking; run off the hub's queue, after the client's claims).
    var releaseNick: (@Sendable (NickRelease) -> Void)?
    /// Called (on any thread) with the node id that published them when a commit carrying
    /// network events failed: the other nodes never saw them, so this node must join the
    /// network again (unless it already did under another id).
    var publicationFailed: (@Sendable (String) -> Void)?
    /// Where the hub counts the work whose output the loops' drains wait for.
    var upstream: UpstreamWork = .shared
  }

  init(
    configuration: CoreConfiguration, clock: any ServerClock, logger: Logger,
    services: Services = Services()
  ) {
    self.core = IRCServerCore(configuration: configuration, clock: clock)
    self.logger = logger
    self.clock = clock
    accountHandler = services.accountHandler
    checkBotToken = services.checkBotToken
    keepHistory = services.keepHistory
    historyReader = HistoryReader(store: services.historyStore)
    roomWriter = services.roomWriter
    readMarkerWriter = services.readMarkerWriter
    claimNick = services.claimNick
    releaseNick = services.releaseNick
    publicationFailed = services.publicationFailed
    upstream = services.upstream
    if let node = services.networkNode { core.joinNetwork(node: node) }
    drainTimer = DispatchSource.makeTimerSource(queue: queue)
    // Weak: an armed source lives until cancelled, and may fire after the hub is gone.
    drainTimer.setEventHandler { [weak self] in
      guard let self else { return }
      drainArmedFor = nil
      core.drainFloodQueues()
      flush()
    }
    drainTimer.schedule(deadline: .distantFuture)
    drainTimer.resume()
  }

  deinit {
    tickTimer?.cancel()
    drainTimer.cancel()
  }

  /// Cancels the tick and flood-drain timers (at shutdown, or when a start fails). Not on
  /// `queue`.
  func stopTimers() {
    queue.sync { cancelTimers() }
  }

  /// On `queue`.
  private func cancelTimers() {
    tickTimer?.cancel()
    drainTimer.cancel()
  }

  /// Sets `drainTimer` for the core's next flood-control deadline, unless it is already set
  /// for that time or earlier. The periodic tick is too coarse (up to a second) for commands
  /// waiting a fraction of a second each, so the hub wakes exactly when one can run.
  private func scheduleFloodDrain() {
    guard let deadline = core.nextFloodDeadline else { return }
    if let armed = drainArmedFor, armed <= deadline { return }
    drainArmedFor = deadline
    let delay = max(.milliseconds(1), deadline - clock.monotonicNow())
    let nanoseconds =
      Int(delay.components.seconds) * 1_000_000_000
      + Int(delay.components.attoseconds / 1_000_000_000)
    drainTimer.schedule(deadline: .now() + .nanoseconds(nanoseconds), leeway: .milliseconds(2))
  }

  /// Starts the timer that enforces registration and ping timeouts.
  func startTicking(every interval: Duration) {
    let timer = DispatchSource.makeTimerSource(queue: queue)
    let nanoseconds =
      Int(interval.components.seconds) * 1_000_000_000
      + Int(interval.components.attoseconds / 1_000_000_000)
    timer.schedule(
      deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
      leeway: .milliseconds(10))
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      core.tick()
      flush()
    }
    timer.resume()
    queue.sync { tickTimer = timer }
  }

  func connectionReady(_ connection: Connection, session: ClientSession) {
    let clientID = session.clientID
    queue.async { [self] in
      logger.info(
        "connection \(clientID.raw) from \(connection.remoteAddress)\(connection.isTLS ? " (TLS)" : "")"
      )
      connections[clientID] = connection
      sessions[clientID] = session
      core.clientConnected(
        clientID, ip: connection.remoteAddress, isTLS: connection.isTLS,
        certificateFingerprint: connection.peerCertificateFingerprintSHA256,
        transportHandle: connection)
      flush()
    }
  }

  func receive(_ inputs: [ClientInput], from session: ClientSession, connection: Connection) {
    let clientID = session.clientID
    queuedReceives.add(1, ordering: .relaxed)
    upstream.begin()
    queue.async { [self] in
      queuedReceives.subtract(1, ordering: .relaxed)
      defer { session.linesHandled(inputs.count, connection: connection) }
      for input in inputs {
        switch input {
        case .message(let message): core.receive(message, from: clientID)
        case .problem(let problem): core.receiveInvalidLine(problem, from: clientID)
        case .flood: core.disconnect(clientID, reason: "Excess flood (read queue exceeded)")
        case .ignored: break
        }
      }
      flushUnlessMoreInputIsQueued()
    }
  }

  /// Flushes, unless other connections' input is already queued behind this block and
  /// `flushDeferral` lets this block's output wait for theirs (see `FlushDeferral`).
  /// Either way the block's upstream work ends (see `UpstreamWork`): a deferred block's output
  /// waits for a block that is itself counted.
  private func flushUnlessMoreInputIsQueued() {
    let queued = queuedReceives.load(ordering: .relaxed) > 0
    if flushDeferral.defers(inputQueued: queued, now: DispatchTime.now().uptimeNanoseconds) {
      if upstream.end() { upstream.outputReleased() }
      return
    }
    flush(endingReceive: true)
  }

  /// The client closed its sending side after the lines already handed to `receive`.
  func inputEnded(_ clientID: ClientID) {
    queue.async { [self] in
      core.inputEnded(clientID)
      flush()
    }
  }

  func connectionClosed(_ clientID: ClientID, reason: CloseReason) {
    queue.async { [self] in
      logger.info("connection \(clientID.raw) closed: \(Self.quitText(for: reason))")
      connections[clientID] = nil
      sessions[clientID] = nil
      holds.remove(clientID)
      core.connectionClosed(clientID, reason: Self.quitText(for: reason))
      flush()
    }
  }

  /// Loads the newest kept messages, for `REDACT` after a restart.
  func loadRecentMessages(_ messages: [(msgid: String, target: HistoryTarget, account: String?)]) {
    queue.async { [self] in core.loadRecentMessages(messages) }
  }

  /// Loads the direct conversations that have history, for `CHATHISTORY TARGETS`.
  func loadDirectConversations(_ targets: [HistoryTarget]) {
    queue.async { [self] in core.loadDirectConversations(targets) }
  }

  /// Makes new msgids sort after the newest kept one.
  func continueMessageIDs(after msgid: String) {
    queue.async { [self] in core.continueMessageIDs(after: msgid) }
  }

  /// Loads the account directory (names, roles, institutions) into the core.
  func loadAccounts(_ summaries: [AccountSummary]) {
    queue.async { [self] in
      core.loadAccounts(summaries)
      flush()
    }
  }

  /// Reloads the account directory and ends the sessions of accounts deleted since, or that
  /// logged in with a credential revoked since (`credentials` was read from the store at
  /// `asOf`, wall-clock milliseconds).
  func reloadAccounts(
    _ summaries: [AccountSummary], credentials: [String: AccountCredentials], asOf: Int64
  ) {
    queue.async { [self] in
      core.loadAccounts(summaries)
      core.endRevokedSessions(credentials, asOf: asOf)
      flush()
    }
  }

  /// Recreates the stored rooms in the core.
  func restoreRooms(_ records: [RoomRecord]) {
    queue.async { [self] in
      core.restoreRooms(records)
      flush()  // the configured rooms the store did not have are stored now
    }
  }

  /// Loads the stored read markers into the core.
  func loadReadMarkers(_ markers: [ReadMarker]) {
    queue.async { [self] in core.loadReadMarkers(markers) }
  }

  func reconfigure(_ configuration: CoreConfiguration) {
    queue.async { [self] in
      core.reconfigure(configuration)
      flush()  // new flood limits may move the next drain deadline
    }
  }

  /// Sends `ERROR` to everyone, closes them after their queues drain, then calls `completion`.
  func disconnectAll(reason: String, completion: @escaping @Sendable () -> Void) {
    queue.async { [self] in
      cancelTimers()
      core.disconnectAll(reason: reason)
      flush()
      // The farewell lines (and the QUITs kept in history) go out once they are committed,
      // or after `shutdownHoldTimeout` if the disk does not answer.
      if holds.isIdle {
        completion()
        return
      }
      let once = OnceFlag()
      whenDrained.append { if once.take() { completion() } }
      queue.asyncAfter(deadline: .now() + Self.shutdownHoldTimeout) { [self] in
        guard once.take() else { return }
        logger.error("shutting down with output still waiting for the history store")
        completion()
      }
    }
  }

  /// Number of live connections, for tests and logs.
  func connectionCount() -> Int { queue.sync { connections.count } }

  /// Hands everything the core produced to the connections: one coalesced send per client.
  /// A part of the outbox that keeps history entries is held, for each connection it writes
  /// to, until the history writer has committed them (group commit); what comes after it for
  /// those connections waits behind it, so no client is shown a message before it is durable
  /// and no client's lines reorder. Other connections are not held (see `OutputHolds`).
  ///
  /// `endingReceive`: this flush ends a `receive` block's upstream work, after opening its
  /// commit (if any) and before handing over its output.
  func flush(endingReceive: Bool = false) {
    flushDeferral.flushed()
    // Commits reported since the last block first: their block may be queued behind a long
    // run of input (a join storm), and until it runs their output stays held, in memory.
    applyCommits()
    scheduleFloodDrain()
    let outbox = core.takeOutbox()
    guard !outbox.isEmpty else {
      if endingReceive && upstream.end() { upstream.outputReleased() }
      return
    }
    for event in outbox.events where !event.isHistoryRead { handle(event) }
    var actions: [OutputHolds.Action] = []
    let keep = keepHistory
    let kept = keep == nil ? [] : outbox.kept
    let publication = outbox.publication
    let ticket = kept.isEmpty ? nil : holds.makeTicket()
    if ticket != nil { upstream.begin() }  // ended when the commit's outcome is applied
    for part in outbox.parts {
      if let ticket, !part.kept.isEmpty {
        holds.addKept(part, ticket: ticket, &actions)
      } else {
        for write in part.writes { holds.add(write.bytes, for: write.client, &actions) }
      }
    }
    // History reads wait with their connection's output, so they see every entry kept before
    // them: a client's PRIVMSG then CHATHISTORY in one packet finds its own message.
    for event in outbox.events {
      if case .history(let request) = event { holds.historyRead(request, &actions) }
    }
    for id in outbox.closes { holds.close(id, &actions) }
    let nothingUnderWay = endingReceive && upstream.end()
    perform(actions)
    if nothingUnderWay { upstream.outputReleased() }
    if let keep, ticket != nil || publication != nil {
      keep(kept, publication) { [self] committed in
        if !committed, let publication { publicationFailed?(publication.node) }
        guard let ticket else { return }
        let schedule = committedTickets.withLock { state -> Bool in
          state.outcomes.append((ticket, committed))
          if state.scheduled { return false }
          state.scheduled = true
          return true
        }
        if schedule { queue.async { [self] in applyCommits() } }
      }
    }
  }

  /// Releases the output of every commit reported since the last call, in one send. Run by
  /// the block the writer schedules, and by every `flush`, whichever comes first.
  private func applyCommits() {
    let outcomes = committedTickets.withLock { state -> [(UInt64, Bool)] in
      let outcomes = state.outcomes
      state.outcomes = []
      state.scheduled = false
      return outcomes
    }
    guard !outcomes.isEmpty else { return }
    var actions: [OutputHolds.Action] = []
    for (ticket, committed) in outcomes { holds.resolve(ticket, kept: committed, &actions) }
    upstream.end(outcomes.count)
    perform(actions)
    upstream.outputReleased()
    if holds.isIdle && !whenDrained.isEmpty {
      let waiters = whenDrained
      whenDrained = []
      for waiter in waiters { waiter() }
    }
  }

  /// Does what the holds decided: the sends in one batch (a connection's lines are queued on
  /// its loop as they are, shared with the line's other recipients, and joined only when
  /// written), then closes, reads and pauses in order.
  ///
  /// Why not join a connection's lines here: under load one commit releases many lines for
  /// each member, and joining them copied every line once per recipient on the hub's thread,
  /// the server's busiest (measured: `Array.append(contentsOf:)` 6.5 % of the server's CPU at
  /// `fanout --clients 200 --rate 0`).
  private func perform(_ actions: [OutputHolds.Action]) {
    guard !actions.isEmpty else { return }
    let deliveries = actions.reduce(0) { count, action in
      if case .sendPart(let released) = action { return count + released.part.writes.count }
      return count + 1
    }
    MemoryPolicy.afterBurst(deliveries: deliveries)
    // `batch` is used directly, not through a local function: a local variable captured by a
    // local function lives in a box, checked for exclusive access at run time on every
    // append (`perf`: about 2 % of the server's CPU samples in those checks).
    var batch = OutputBatch()
    for action in actions {
      switch action {
      case .send(let id, let bytes):
        if let connection = connections[id] {
          batch.append(bytes, to: connection)
        } else {
          botConnections[id]?.receiveOutput(bytes)
        }
      case .sendPart(let released):
        // The connection the core handed back with each write: no lookup per recipient. A
        // closed one drops what it is sent; a bot's session has none.
        released.deliveries { id, handle, bytes in
          if let connection = handle as? Connection {
            batch.append(bytes, to: connection)
          } else {
            botConnections[id]?.receiveOutput(bytes)
          }
        }
      case .close(let id):
        batch.send()
        holds.remove(id)
        connections.removeValue(forKey: id)?.close(flushingFirst: true)
        botConnections.removeValue(forKey: id)?.sessionEnded()
      case .runHistory(let request):
        handle(.history(request))
      case .pauseReading(let id):
        if let connection = connections[id] { sessions[id]?.holdPressure(true, connection) }
      case .resumeReading(let id):
        if let connection = connections[id] { sessions[id]?.holdPressure(false, connection) }
      }
    }
    batch.send()
  }

  private func handle(_ event: CoreEvent) {
    switch event {
    case .rehashRequested(let by):
      logger.info("rehash requested by \(by)")
      onRehash?(by)
    case .account(let request):
      guard let handler = accountHandler else { return }
      let connection = request.connection
      let ip = request.ip ?? accountRequestAddresses[connection]?.ip ?? "#\(connection)"
      accountRequestAddresses[connection, default: (ip, 0)].count += 1
      accountPool.submit(key: ip) { [self] in
        let response = handler(request)
        queue.async { [self] in
          if let entry = accountRequestAddresses[connection] {
            accountRequestAddresses[connection] =
              entry.count > 1 ? (entry.ip, entry.count - 1) : nil
          }
          guard let response else { return }
          core.accountResponse(response, for: ClientID(connection))
          flush()
        }
      }
    case .history(let request):
      runHistory(request) { [self] in
        core.historyResponse($0, for: request.connection)
        flush()
      }
    case .roomChanged, .roomDeleted:
      roomWriter?.write(event)
    case .readMarkerChanged:
      readMarkerWriter?.write(event)
    case .audit(let audit):
      log(audit)
    case .claimNick(let claim):
      guard let claimNick else {
        core.nickClaimAnswered(claim, claimed: true)
        return
      }
      // A round trip to the database: in a pool of its own, never on the hub's queue; one
      // client's claims and releases in the order the core made them.
      claimPool.submit(key: String(claim.client)) { [self] in
        let claimed = claimNick(claim)
        queue.async { [self] in
          core.nickClaimAnswered(claim, claimed: claimed)
          flush()
        }
      }
    case .releaseNick(let release):
      guard let releaseNick else { return }
      claimPool.submit(key: String(release.client)) { releaseNick(release) }
    }
  }

  private static func quitText(for reason: CloseReason) -> String {
    switch reason {
    case .remoteClosed: "Connection closed"
    case .error(let detail): "Read error: \(detail)"
    case .handshakeTimeout: "TLS handshake timed out"
    case .handshakeFailed(let detail): "TLS handshake failed: \(detail)"
    case .sendQueueExceeded: "SendQ exceeded"
    case .local: "Connection closed"
    }
  }
}

/// Lets one of two racing callers through.
private final class OnceFlag: @unchecked Sendable {
  // Touched only on the hub's queue.
  private var taken = false
  func take() -> Bool {
    defer { taken = true }
    return !taken
  }
}

extension CoreEvent {
  /// Whether this is a read of history, which must follow the commit of what came before it.
  fileprivate var isHistoryRead: Bool {
    if case .history = self { return true }
    return false
  }
}
