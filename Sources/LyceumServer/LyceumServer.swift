import Dispatch
import Foundation
import Logging
import LyceumAccounts
import LyceumCore
import LyceumProtocol
import LyceumStore
import LyceumTransport

/// One running Lyceum server: its listeners, its TLS contexts and the core hub.
///
/// `@unchecked Sendable`: mutable state (`configuration`, `listeners`, `tlsContexts`) is touched
/// only on `controlQueue`, except in `start()`, which runs before anything else can see it.
public final class LyceumServer: @unchecked Sendable {
  private let loader: @Sendable () throws -> ServerConfiguration
  private let logger: Logger
  private let controlQueue = DispatchQueue(label: "lyceum.control")
  private var configuration: ServerConfiguration
  private var listeners: [Listener] = []
  private let hub: CoreHub
  /// Per-IP connection limit and throttle, checked at accept.
  private let gate: ConnectionGate
  private let clock = SystemClock()
  private var accountService: AccountService?
  private var accountStore: SQLiteAccountStore?
  private var historyStore: SQLiteHistoryStore?
  private var retentionTimer: DispatchSourceTimer?
  private var roomWriter: RoomWriter?
  private var readMarkerWriter: ReadMarkerWriter?
  private let startedAt: Int64
  private var nextClientID: UInt64 = 0
  private let idLock = NSLock()

  /// `loader` runs at start and on every reload: it re-reads the file and re-applies the flags.
  public init(
    configurationLoader: @escaping @Sendable () throws -> ServerConfiguration, logger: Logger
  ) throws {
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
    logger.debug("open file limit \(openFiles)")
    try FileManager.default.createDirectory(
      atPath: configuration.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
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
          // Accounts changed with `lyceumd account …` while the server ran.
          hub.loadAccounts(try accountStore.allAccounts().map(AccountSummary.init))
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
    if let reason = gate.admit(ip) {
      logger.debug("refused connection from \(ip): \(reason)")
      connection.setHandler(RefusedConnection(ip: ip, reason: reason))
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
      onClose: { [gate] in gate.release(ip) })
    connection.setHandler(session)
    connection.start()
  }

  /// Loads the account directory from the database into the core and starts the account
  /// service that answers the core's SASL, PASS and REGISTER requests.
  private func openAccounts(_ configuration: ServerConfiguration, database: LyceumDatabase) throws {
    let store = SQLiteAccountStore(database: database)
    let service = AccountService(
      store: store, caseMapping: .rfc1459, clock: clock,
      registrationOpen: configuration.accounts.registrationOpen,
      failureLimit: configuration.accounts.failedLoginLimit,
      failureWindow: configuration.accounts.failedLoginWindow)
    let summaries = try store.allAccounts().map(AccountSummary.init)
    hub.loadAccounts(summaries)
    let administration = AccountAdministration(store: store)
    hub.accountHandler = { request in
      if case .admin(_, let adminRequest) = request { return administration.handle(adminRequest) }
      return service.handle(request)
    }
    accountService = service
    accountStore = store
    logger.info("accounts: \(summaries.count) in \(database.path)")
  }

  /// Turns on kept history: the group-commit writer that every kept entry passes through
  /// before it is delivered, the store CHATHISTORY reads, and the retention sweep.
  private func openHistory(_ configuration: ServerConfiguration, database: LyceumDatabase) {
    guard configuration.history.enabled else { return }
    let store = SQLiteHistoryStore(database: database)
    let logger = self.logger
    let writer = GroupCommitWriter(store: store, label: "lyceum.history.write") { error in
      logger.error("history write failed; the messages were delivered but not kept: \(error)")
    }
    hub.historyStore = store
    do {
      if let newest = try store.newestMsgid() { hub.continueMessageIDs(after: newest) }
      hub.loadDirectConversations(try store.directTargets())
    } catch {
      logger.error("could not read the newest msgid: \(error)")
    }
    hub.keepHistory = { entries, done in writer.submit(entries, completion: done) }
    historyStore = store
    scheduleRetention()
    logger.info("history: kept in \(database.path)")
  }

  /// Deletes entries older than the configured retention now and then every hour, on a
  /// utility queue in chunks, so the sweep never stalls delivery.
  private func scheduleRetention() {
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + .seconds(5), repeating: .seconds(3600))
    timer.setEventHandler { [weak self] in self?.sweepHistory() }
    timer.resume()
    retentionTimer = timer
  }

  private func sweepHistory() {
    let retention = controlQueue.sync { configuration.history.retention }
    guard let store = historyStore else { return }
    do {
      let removed = try HistoryRetention(store: store, retention: retention)
        .sweep(nowMilliseconds: clock.wallClockMilliseconds())
      if removed > 0 { logger.info("history retention removed \(removed) entries") }
    } catch {
      logger.error("history retention failed: \(error)")
    }
  }

  /// Restores the registered rooms from the database into the core and has later changes to
  /// them written back.
  private func openRooms(_ database: LyceumDatabase) throws {
    let store = SQLiteRoomStore(database: database)
    let records = try store.allRooms()
    let writer = RoomWriter(store: store, logger: logger)
    hub.restoreRooms(records, writer: writer)
    roomWriter = writer
    logger.info("rooms: \(records.count) restored")
  }

  /// Loads every read marker (one row per account and target) into the core and has later
  /// moves written back.
  private func openReadMarkers(_ database: LyceumDatabase) throws {
    let store = SQLiteReadMarkerStore(database: database)
    let markers = try store.allMarkers()
    let writer = ReadMarkerWriter(store: store, logger: logger)
    hub.loadReadMarkers(markers, writer: writer)
    readMarkerWriter = writer
    logger.info("read markers: \(markers.count) loaded")
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

  /// One TLS context per listener (nil for plaintext ones); generates the development
  /// certificate in the data directory when a TLS listener has none configured.
  private func makeTLSContexts(for configuration: ServerConfiguration) throws -> [TLSContext?] {
    var defaultContext: TLSContext?
    var contexts: [TLSContext?] = []
    for spec in configuration.listeners {
      guard spec.tls else {
        contexts.append(nil)
        continue
      }
      if let cert = spec.certificatePath, let key = spec.keyPath {
        contexts.append(try TLSContext(certificatePath: cert, keyPath: key))
        continue
      }
      if defaultContext == nil { defaultContext = try makeDefaultTLSContext(configuration) }
      contexts.append(defaultContext)
    }
    return contexts
  }

  private func makeDefaultTLSContext(_ configuration: ServerConfiguration) throws -> TLSContext {
    if let cert = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
      let context = try TLSContext(certificatePath: cert, keyPath: key)
      logger.info("tls certificate \(cert) sha256 \(context.certificateFingerprintSHA256)")
      return context
    }
    let directory = configuration.dataDirectory + "/tls"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let cert = directory + "/dev-cert.pem"
    let key = directory + "/dev-key.pem"
    if !FileManager.default.fileExists(atPath: cert) || !FileManager.default.fileExists(atPath: key)
    {
      _ = try TLSContext.generateSelfSigned(
        commonName: configuration.serverName, certificatePath: cert, keyPath: key)
      logger.info("generated a self-signed development certificate in \(directory)")
    }
    let context = try TLSContext(certificatePath: cert, keyPath: key)
    logger.info(
      "tls development certificate sha256 fingerprint \(context.certificateFingerprintSHA256)")
    return context
  }

  /// The part of the configuration the protocol core needs.
  private func coreConfiguration(_ configuration: ServerConfiguration) -> CoreConfiguration {
    var core = CoreConfiguration()
    core.serverName = configuration.serverName
    core.networkName = configuration.networkName
    core.createdAtMilliseconds = startedAt
    core.motd = configuration.motd
    core.adminInfo = configuration.adminInfo
    core.accountRegistrationOpen = configuration.accounts.registrationOpen
    // History is on when its store was opened at start-up; a reload cannot switch it.
    core.historyEnabled = historyStore != nil
    core.limits.historyMaxMessages = configuration.history.maxMessages
    core.limits.replayOnJoin = configuration.history.replayOnJoin
    core.password = configuration.password
    core.operators = configuration.operators
    let limits = configuration.limits
    core.limits.nickLength = limits.nickLength
    core.limits.userLength = limits.userLength
    core.limits.realnameLength = limits.realnameLength
    core.limits.channelLength = limits.channelLength
    core.limits.topicLength = limits.topicLength
    core.limits.awayLength = limits.awayLength
    core.limits.kickLength = limits.kickLength
    core.limits.channelsPerClient = limits.channelsPerClient
    core.limits.targetsPerCommand = limits.targetsPerCommand
    core.limits.listEntries = limits.listEntries
    core.limits.whowasEntries = limits.whowasEntries
    core.limits.maxClients = limits.maxClients
    core.timeouts.registration = configuration.timeouts.registration
    core.timeouts.pingInterval = configuration.timeouts.pingInterval
    core.timeouts.pingTimeout = configuration.timeouts.pingTimeout
    core.commandFlood = configuration.flood.coreLimits
    core.registrationThrottle = configuration.connections.registrationsPerIP.rateLimit
    core.throttleExemptIPs = configuration.connections.canonicalExemptIPs
    let tlsPort = listeners.first(where: \.isTLS)?.boundPort
    let hasPlain = listeners.contains { !$0.isTLS }
    if configuration.sts.enabled, hasPlain, let port = configuration.sts.port ?? tlsPort {
      core.stsPort = port
      core.stsDurationSeconds = Int(configuration.sts.duration.components.seconds)
    }
    return core
  }

  private static func display(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
  }
}
