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
/// `@unchecked Sendable`: mutable state (`configuration`, `listeners`, `tlsContexts`) is touched
/// only on `controlQueue`, except in `start()`, which runs before anything else can see it.
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
  var accountService: AccountService?
  var accountStore: SQLiteAccountStore?
  var historyStore: SQLiteHistoryStore?
  var retentionTimer: DispatchSourceTimer?
  var roomWriter: StoreWriter?
  var readMarkerWriter: StoreWriter?
  let startedAt: Int64
  private var nextClientID: UInt64 = 0
  /// Connections (admitted or being refused) the descriptor limit allows at once.
  var connectionCapacity = Int.max
  /// Connections open now, counted from accept to close.
  let openConnections = Atomic<Int>(0)
  private let idLock = NSLock()
  /// What kept entries are written to, given the SQLite history store (tests put a store that
  /// fails or stalls in front of it).
  let historyWriteStore: @Sendable (any HistoryStore) -> any HistoryStore

  /// `loader` runs at start and on every reload: it re-reads the file and re-applies the flags.
  public convenience init(
    configurationLoader: @escaping @Sendable () throws -> ServerConfiguration, logger: Logger
  ) throws {
    try self.init(
      configurationLoader: configurationLoader, logger: logger, historyWriteStore: { $0 })
  }

  /// As above, with kept entries written through `historyWriteStore(sqliteStore)` (reads still
  /// go to the SQLite store).
  package init(
    configurationLoader: @escaping @Sendable () throws -> ServerConfiguration, logger: Logger,
    historyWriteStore: @escaping @Sendable (any HistoryStore) -> any HistoryStore
  ) throws {
    self.historyWriteStore = historyWriteStore
    self.loader = configurationLoader
    self.logger = logger
    self.configuration = try configurationLoader()
    self.startedAt = clock.wallClockMilliseconds()
    self.hub = CoreHub(configuration: CoreConfiguration(), clock: clock, logger: logger)
    self.gate = ConnectionGate(configuration.connections, clock: clock)
  }

  /// The ports actually bound, in listener order (useful with port 0).
  public var boundListeners: [(host: String, port: Int, tls: Bool)] {
    controlQueue.sync { listeners.map { ($0.host, $0.boundPort, $0.isTLS) } }
  }

  /// Binds every listener, logs `listening tls|plain HOST:PORT` for each, and starts serving.
  public func start() throws {
    let openFiles = raiseFileDescriptorLimit()
    // One descriptor a connection, a second while its writes are blocked (see
    // FileDescriptorLimit.swift), and some left for the listeners, the database and logs: past
    // this, connections are closed at once, before they cost anything, instead of running the
    // process out of descriptors.
    connectionCapacity = max(16, (openFiles - 64) * 4 / 5)
    logger.debug("open file limit \(openFiles)")
    try FileManager.default.createDirectory(
      atPath: configuration.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    try DataDirectoryCheck.requireWritable(configuration.dataDirectory)
    let contexts = try makeTLSContexts(for: configuration)
    var bound: [Listener] = []
    for (index, spec) in configuration.listeners.enumerated() {
      let listener = try Listener(
        host: spec.host, port: spec.port, tls: contexts[index],
        limits: connectionLimits(configuration), logger: logger)
      bound.append(listener)
    }
    listeners = bound
    let database = try LyceumDatabase.inDataDirectory(
      configuration.dataDirectory,
      durableAgainstPowerLoss: configuration.history.durableAgainstPowerLoss)
    do {
      try database.requireWritable()
    } catch {
      throw DataDirectoryNotWritable(
        path: configuration.dataDirectory, reason: "the database \(database.path): \(error)")
    }
    try openAccounts(configuration, database: database)
    try openRooms(database)
    try openReadMarkers(database)
    openHistory(configuration, database: database)
    hub.onRehash = { [weak self] _ in self?.reload() }
    hub.reconfigure(coreConfiguration(configuration))
    hub.startTicking(every: tickInterval(configuration.timeouts))
    for listener in bound {
      listener.start { [weak self] connection in self?.accept(connection) }
      logger.info(
        "listening \(listener.isTLS ? "tls" : "plain") \(Self.display(listener.host)):\(listener.boundPort)"
      )
    }
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
        for (index, listener) in listeners.enumerated() where index < contexts.count {
          if let context = contexts[index] { listener.replaceTLSContext(context) }
        }
        configuration = fresh
        accountService?.registrationOpen = fresh.accounts.registrationOpen
        if let accountStore {
          // Accounts changed with `lyceumd account …` / `lyceumd token …` while the server
          // ran: the directory, and the end of sessions whose login was revoked.
          try reloadAccounts(from: accountStore)
        }
        gate.reconfigure(fresh.connections)
        hub.reconfigure(coreConfiguration(fresh))
        logger.info("configuration reloaded")
      } catch {
        logger.error("reload failed, keeping the running configuration: \(error)")
      }
    }
  }

  /// Sends `ERROR` to every client, closes the listeners, and calls `completion` once the
  /// clients' queues have had a moment to drain.
  public func shutdown(completion: @escaping @Sendable () -> Void) {
    controlQueue.async { [self] in
      for listener in listeners { listener.stop() }
      hub.disconnectAll(reason: "Server shutting down") { [roomWriter, readMarkerWriter] in
        roomWriter?.waitUntilWritten()
        readMarkerWriter?.waitUntilWritten()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { completion() }
      }
    }
  }

  // MARK: - Wiring

  /// Takes a new connection, or refuses it (one `ERROR` line, then close) when its IP has too
  /// many connections or opens them too fast.
  private func accept(_ connection: Connection) {
    let ip = connection.remoteAddress
    guard openConnections.add(1, ordering: .relaxed).newValue <= connectionCapacity else {
      openConnections.subtract(1, ordering: .relaxed)
      logger.warning("connection from \(ip) closed: at the open-file limit")
      connection.close(flushingFirst: false)
      return
    }
    if let reason = gate.admit(ip) {
      logger.debug("refused connection from \(ip): \(reason)")
      connection.setHandler(
        RefusedConnection(ip: ip, reason: reason) { [weak self] in
          self?.openConnections.subtract(1, ordering: .relaxed)
        })
      connection.start()
      return
    }
    let id = idLock.withLock { () -> UInt64 in
      nextClientID += 1
      return nextClientID
    }
    let readQueueLimit = controlQueue.sync { configuration.limits.readQueueBytes }
    let session = ClientSession(
      clientID: ClientID(id), hub: hub, readQueueLimit: readQueueLimit,
      onClose: { [gate, weak self] in
        gate.release(ip)
        self?.openConnections.subtract(1, ordering: .relaxed)
      })
    connection.setHandler(session)
    connection.start()
  }

  private func connectionLimits(_ configuration: ServerConfiguration) -> ConnectionLimits {
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
