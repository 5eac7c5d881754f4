import Dispatch
import Foundation
import Logging
import LyceumAccounts
import LyceumCore
import LyceumProtocol
import LyceumStore
import LyceumTransport
import Synchronization

/// One running Lyceum server: its listeners, its TLS contexts and the core hub.
///
/// Making one opens the data directory's stores and builds the hub from them; `start()` binds
/// the listeners and serves; `shutdown` ends everything it accepted.
///
/// `@unchecked Sendable`: mutable state (`configuration`, `listeners`, `retentionTimer`) is
/// touched only on `controlQueue`, except in `start()`, which runs before anything else can
/// see it.
public final class LyceumServer: @unchecked Sendable {
  private let loader: @Sendable () throws -> ServerConfiguration
  let logger: Logger
  let controlQueue = DispatchQueue(label: "lyceum.control")
  var configuration: ServerConfiguration
  var listeners: [Listener] = []
  let hub: CoreHub
  /// Per-IP connection limit and throttle, checked at accept.
  private let gate: ConnectionGate
  let clock = SystemClock()
  /// Opened when the server is made; the hub is built from them.
  let stores: ServerStores
  var retentionTimer: DispatchSourceTimer?
  let startedAt: Int64
  private var nextClientID: UInt64 = 0
  /// Every connection accepted and not yet closed, whatever its stage; `shutdown` closes them.
  let connections = ConnectionRegistry()
  private let idLock = NSLock()
  /// The bots' loopback listener, when the configuration has one (set in `start()`).
  var botsListener: Listener?
  /// Connections to the bots' listener open now, for `bots-listener.max-connections`.
  let botConnectionCount = Atomic<Int>(0)

  /// `loader` runs now and on every reload: it re-reads the file and re-applies the flags.
  /// Opens the data directory's stores (creating it if needed); `start()` then serves.
  public convenience init(
    configurationLoader: @escaping @Sendable () throws -> ServerConfiguration, logger: Logger
  ) throws {
    try self.init(
      configurationLoader: configurationLoader, logger: logger, historyWriteStore: { $0 })
  }

  /// As above, with kept entries written through `historyWriteStore(store)` (reads still go to
  /// the store itself, SQLite or PostgreSQL; tests put a store that fails or stalls in front
  /// of it), and the hub's work counted in `upstream` (tests count one server's alone).
  package init(
    configurationLoader: @escaping @Sendable () throws -> ServerConfiguration, logger: Logger,
    historyWriteStore: @escaping @Sendable (any HistoryStore) -> any HistoryStore,
    upstream: UpstreamWork = .shared
  ) throws {
    self.loader = configurationLoader
    self.logger = logger
    self.configuration = try configurationLoader()
    self.startedAt = clock.wallClockMilliseconds()
    stores = try ServerStores(
      configuration, clock: clock, logger: logger, historyWriteStore: historyWriteStore)
    var services = stores.hubServices
    services.upstream = upstream
    hub = CoreHub(
      configuration: CoreConfiguration(), clock: clock, logger: logger, services: services)
    stores.load(into: hub, logger: logger)
    gate = ConnectionGate(configuration.connections, clock: clock)
  }

  /// The ports actually bound, in listener order (useful with port 0).
  public var boundListeners: [(host: String, port: Int, tls: Bool)] {
    controlQueue.sync { listeners.map { ($0.host, $0.boundPort, $0.isTLS) } }
  }

  /// Connections (admitted or being refused) the descriptor limit allows at once.
  var connectionCapacity: Int {
    get { connections.capacity }
    set { connections.capacity = newValue }
  }

  /// Connections open now, counted from accept to close (refused ones included).
  var openConnectionCount: Int { connections.count }

  /// Binds every listener, logs `listening tls|plain HOST:PORT` for each, and starts serving.
  /// When any step fails, what the earlier steps started is stopped again (listeners closed,
  /// timers cancelled) before the error is thrown; the server is then not to be started again.
  public func start() throws {
    do {
      try startSteps()
    } catch {
      undoStart()
      throw error
    }
  }

  private func startSteps() throws {
    let openFiles = raiseFileDescriptorLimit()
    // One descriptor a connection, a second while its writes are blocked (see
    // FileDescriptorLimit.swift), and some left for the listeners, the database and logs: past
    // this, connections are closed at once, before they cost anything, instead of running the
    // process out of descriptors.
    connectionCapacity = max(16, (openFiles - 64) * 4 / 5)
    logger.debug("open file limit \(openFiles)")
    let contexts = try makeTLSContexts(for: configuration)
    for (index, spec) in configuration.listeners.enumerated() {
      // Appended one by one, so that a later one failing to bind closes the earlier ones.
      listeners.append(
        try Listener(
          host: spec.host, port: spec.port, tls: contexts[index],
          limits: connectionLimits(configuration), logger: logger))
    }
    try bindBotsListener()
    scheduleRetention()
    hub.onRehash = { [weak self] _ in self?.reload() }
    hub.reconfigure(coreConfiguration(configuration))
    hub.startTicking(every: tickInterval(configuration.timeouts))
    try joinNetwork()
    for listener in listeners {
      listener.start { [weak self] connection in self?.accept(connection) }
      logger.info(
        "listening \(listener.isTLS ? "tls" : "plain") \(Self.display(listener.host)):\(listener.boundPort)"
      )
    }
  }

  /// Stops what a failed `start` had started: closes the listeners bound so far and cancels
  /// the timers.
  private func undoStart() {
    for listener in listeners { listener.stop() }
    listeners = []
    botsListener?.stop()
    botsListener = nil
    retentionTimer?.cancel()
    hub.stopTimers()
    leaveNetwork()
  }

  /// Re-reads the configuration and certificates; everyone stays connected. Listener addresses
  /// are fixed at start-up: a changed list is logged and needs a restart.
  public func reload() {
    controlQueue.async { [self] in
      do {
        let fresh = try loader()
        let contexts = try makeTLSContexts(for: fresh)
        if fresh.listeners != configuration.listeners {
          logger.warning("listener changes take effect after a restart")
        }
        if fresh.store != configuration.store {
          logger.warning("store changes take effect after a restart")
        }
        for (index, listener) in listeners.enumerated() where index < contexts.count {
          if let context = contexts[index] { listener.replaceTLSContext(context) }
        }
        configuration = fresh
        stores.accountService.registrationOpen = fresh.accounts.registrationOpen
        // Accounts changed with `lyceumd account …` / `lyceumd token …` while the server
        // ran: the directory, and the end of sessions whose login was revoked.
        try reloadAccounts(from: stores.accountStore)
        gate.reconfigure(fresh.connections)
        hub.reconfigure(coreConfiguration(fresh))
        logger.info("configuration reloaded")
      } catch {
        logger.error("reload failed, keeping the running configuration: \(error)")
      }
    }
  }

  /// Closes the listeners, stops the retention sweep, sends `ERROR` to every client, then
  /// closes every connection still open (those still in their TLS handshake too) and calls
  /// `completion` once all of them have closed and the store writers are done: nothing the
  /// server accepted outlives it.
  public func shutdown(completion: @escaping @Sendable () -> Void) {
    controlQueue.async { [self] in
      for listener in listeners { listener.stop() }
      botsListener?.stop()
      retentionTimer?.cancel()
      hub.disconnectAll(reason: "Server shutting down") {
        [self, connections, stores] in
        // The last connection to close calls back on its loop: wait for the writers elsewhere.
        connections.closeAll {
          DispatchQueue.global().async { [self] in
            stores.roomWriter.waitUntilWritten()
            stores.readMarkerWriter.waitUntilWritten()
            leaveNetwork()
            completion()
          }
        }
      }
    }
  }

  // MARK: - Wiring

  /// Takes a new connection, or refuses it (one `ERROR` line, then close) when its IP has too
  /// many connections or opens them too fast. Every connection is in `connections` from here
  /// until its handler hears it closed.
  private func accept(_ connection: Connection) {
    let ip = connection.remoteAddress
    switch connections.add(connection) {
    case .added: break
    case .overCapacity:
      logger.warning("connection from \(ip) closed: at the open-file limit")
      connection.close(flushingFirst: false)
      return
    case .closing:
      connection.close(flushingFirst: false)
      return
    }
    let id = connection.id
    if let reason = gate.admit(ip) {
      logger.debug("refused connection from \(ip): \(reason)")
      connection.setHandler(
        RefusedConnection(ip: ip, reason: reason) { [connections] in connections.remove(id) })
      connection.start()
      return
    }
    let clientID = makeClientID()
    let readQueueLimit = controlQueue.sync { configuration.limits.readQueueBytes }
    let session = ClientSession(
      clientID: clientID, hub: hub, readQueueLimit: readQueueLimit,
      onClose: { [gate, connections] in
        gate.release(ip)
        connections.remove(id)
      })
    connection.setHandler(session)
    connection.start()
  }

  /// A client id no other connection has had.
  func makeClientID() -> ClientID {
    ClientID(
      idLock.withLock { () -> UInt64 in
        nextClientID += 1
        return nextClientID
      })
  }

  func connectionLimits(_ configuration: ServerConfiguration) -> ConnectionLimits {
    var limits = ConnectionLimits()
    limits.handshakeTimeout = configuration.timeouts.tlsHandshake
    limits.sendQueueLimit = configuration.limits.sendQueueBytes
    return limits
  }

  /// Ticks often enough to honour the shortest timeout within a quarter of it, at most 1 s.
  private func tickInterval(_ timeouts: TimeoutsConfiguration) -> Duration {
    let shortest = min(timeouts.registration, timeouts.pingInterval, timeouts.pingTimeout)
    return max(.milliseconds(10), min(.seconds(1), shortest / 4))
  }

  private static func display(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
  }
}
