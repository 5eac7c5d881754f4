import Dispatch
import Logging
import LyceumCore
import LyceumProtocol
import LyceumTransport

/// Owns the protocol core and runs it on one serial queue; moves input from sessions into it
/// and its outbox out to connections.
///
/// `@unchecked Sendable`: `core` and `connections` are touched only on `queue`.
final class CoreHub: @unchecked Sendable {
  let queue = DispatchQueue(label: "lyceum.core")
  private let core: IRCServerCore
  private var connections: [ClientID: Connection] = [:]
  let logger: Logger
  /// Called (on `queue`) when an operator asks for a reload.
  var onRehash: (@Sendable (String) -> Void)?
  /// Answers account requests; runs on `accountQueue`, never on the core's queue, since a
  /// password check costs an scrypt run and the store may touch the disk.
  var accountHandler: (@Sendable (AccountRequest) -> AccountResponse?)?
  /// Password checks run here, a few at once, fairly between client addresses.
  private let accountPool = FairWorkPool(label: "lyceum.accounts")
  /// The address of each connection with an account request in the pool, so that its
  /// `AUTHENTICATE *` (which carries none) queues behind its earlier steps. Touched on `queue`.
  private var accountRequestAddresses: [UInt64: (ip: String, count: Int)] = [:]
  /// Stores registered rooms' changes; nil when rooms are not persisted.
  private var roomWriter: StoreWriter?
  /// Stores moved read markers; nil when they are not persisted.
  private var readMarkerWriter: StoreWriter?
  /// Stores history entries durably and calls back once they are committed (the server sets
  /// it to its group-commit writer); nil when history is off.
  var keepHistory: (@Sendable ([HistoryEntry], @escaping @Sendable () -> Void) -> Void)?
  /// Outboxes waiting for their history entries (or for an earlier outbox) to be committed.
  private var held: [HeldOutbox] = []
  private var nextTicket: UInt64 = 0
  /// Called once nothing is held any more (shutdown waits for its last lines this way).
  private var whenDrained: [@Sendable () -> Void] = []
  /// The history store and its read queue (see `CoreHub+History.swift`).
  let historyReader = HistoryReader()
  private var tickTimer: DispatchSourceTimer?
  private let clock: any ServerClock
  /// One-shot timer for flood control: fires when the first queued command can run.
  private let drainTimer: DispatchSourceTimer
  /// The core deadline `drainTimer` is set for; nil when it is idle.
  private var drainArmedFor: Duration?

  init(configuration: CoreConfiguration, clock: any ServerClock, logger: Logger) {
    self.core = IRCServerCore(configuration: configuration, clock: clock)
    self.logger = logger
    self.clock = clock
    drainTimer = DispatchSource.makeTimerSource(queue: queue)
    drainTimer.setEventHandler { [unowned self] in
      drainArmedFor = nil
      core.drainFloodQueues()
      flush()
    }
    drainTimer.schedule(deadline: .distantFuture)
    drainTimer.resume()
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
    timer.setEventHandler { [unowned self] in
      core.tick()
      flush()
    }
    timer.resume()
    tickTimer = timer
  }

  func connectionReady(_ connection: Connection, clientID: ClientID) {
    queue.async { [self] in
      logger.info(
        "connection \(clientID.raw) from \(connection.remoteAddress)\(connection.isTLS ? " (TLS)" : "")"
      )
      connections[clientID] = connection
      core.clientConnected(
        clientID, ip: connection.remoteAddress, isTLS: connection.isTLS,
        certificateFingerprint: connection.peerCertificateFingerprintSHA256,
        transportHandle: connection)
      flush()
    }
  }

  func receive(_ inputs: [ClientInput], from session: ClientSession, connection: Connection) {
    let clientID = session.clientID
    queue.async { [self] in
      defer { session.linesHandled(inputs.count, connection: connection) }
      for input in inputs {
        switch input {
        case .message(let message): core.receive(message, from: clientID)
        case .problem(let problem): core.receiveInvalidLine(problem, from: clientID)
        case .flood: core.disconnect(clientID, reason: "Excess flood (read queue exceeded)")
        case .ignored: break
        }
      }
      flush()
    }
  }

  func connectionClosed(_ clientID: ClientID, reason: CloseReason) {
    queue.async { [self] in
      logger.info("connection \(clientID.raw) closed: \(Self.quitText(for: reason))")
      connections[clientID] = nil
      core.connectionClosed(clientID, reason: Self.quitText(for: reason))
      flush()
    }
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

  /// Recreates the stored rooms in the core and sends later room changes to `writer`.
  func restoreRooms(_ records: [RoomRecord], writer: StoreWriter) {
    queue.async { [self] in
      roomWriter = writer
      core.restoreRooms(records)
    }
  }

  /// Loads the stored read markers into the core and sends later moves to `writer`.
  func loadReadMarkers(_ markers: [ReadMarker], writer: StoreWriter) {
    queue.async { [self] in
      readMarkerWriter = writer
      core.loadReadMarkers(markers)
    }
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
      tickTimer?.cancel()
      drainTimer.cancel()
      core.disconnectAll(reason: reason)
      flush()
      // The farewell lines (and the QUITs kept in history) go out once they are committed.
      if held.isEmpty {
        completion()
      } else {
        whenDrained.append(completion)
      }
    }
  }

  /// Number of live connections, for tests and logs.
  func connectionCount() -> Int { queue.sync { connections.count } }

  /// Hands everything the core produced to the connections: one coalesced send per client.
  /// Takes what the core produced. An outbox that keeps history entries is held until the
  /// history writer has committed them (group commit), and every outbox after it waits behind
  /// it, so no client is shown a message before it is durable and no client's lines reorder.
  private func flush() {
    scheduleFloodDrain()
    let outbox = core.takeOutbox()
    guard !outbox.isEmpty else { return }
    // History reads wait with the outbox (see `send`), so they see every entry kept before
    // them: a client's PRIVMSG then CHATHISTORY in one packet finds its own message.
    for event in outbox.events where !event.isHistoryRead { handle(event) }
    let keep = outbox.kept.isEmpty ? nil : keepHistory
    if keep == nil && held.isEmpty {
      send(outbox)
      return
    }
    nextTicket += 1
    let ticket = nextTicket
    held.append(HeldOutbox(ticket: ticket, outbox: outbox, durable: keep == nil))
    keep?(outbox.kept) { [self] in
      queue.async { [self] in
        if let index = held.firstIndex(where: { $0.ticket == ticket }) {
          held[index].durable = true
        }
        releaseDurable()
      }
    }
  }

  /// Sends held outboxes from the front while they are durable.
  private func releaseDurable() {
    while let first = held.first, first.durable {
      held.removeFirst()
      send(first.outbox)
    }
    if held.isEmpty && !whenDrained.isEmpty {
      let waiters = whenDrained
      whenDrained = []
      for waiter in waiters { waiter() }
    }
  }

  /// Hands an outbox's bytes to the connections (one coalesced send each) and closes the ones
  /// it closes, after their last lines.
  private func send(_ outbox: Outbox) {
    for event in outbox.events where event.isHistoryRead { handle(event) }
    // The core hands back the connection given at `clientConnected`; a write for one that has
    // closed since is dropped by the connection.
    var batch: [(Connection, [UInt8])] = []
    batch.reserveCapacity(outbox.writes.count)
    for write in outbox.writes {
      if let connection = write.transportHandle as? Connection {
        batch.append((connection, write.bytes))
      }
    }
    Connection.send(batch)
    for id in outbox.closes {
      connections.removeValue(forKey: id)?.close(flushingFirst: true)
    }
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

/// An outbox waiting to be sent until what it keeps is committed.
private struct HeldOutbox {
  let ticket: UInt64
  let outbox: Outbox
  var durable: Bool
}

extension CoreEvent {
  /// Whether this is a read of history, which must follow the commit of what came before it.
  fileprivate var isHistoryRead: Bool {
    if case .history = self { return true }
    return false
  }
}
