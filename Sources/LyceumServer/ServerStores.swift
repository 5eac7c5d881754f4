import Dispatch
import Foundation
import Logging
import LyceumAccounts
import LyceumCore
import LyceumPostgres
import LyceumStore

/// The server's stores, opened when the server is made: accounts, rooms, read markers and
/// history, in SQLite in the data directory or in PostgreSQL (`store:`, see `StoreBackend`),
/// with what they held then and the writers that keep later changes.
///
/// Why opened before the hub: the hub is built from them (`hubServices`), so every dependency
/// it has is a `let` fixed before its queue runs, and no order of wiring steps in `start()`
/// is a hidden contract.
struct ServerStores {
  let accountStore: any AccountStore
  let accountService: AccountService
  let accounts: [AccountSummary]
  let rooms: [RoomRecord]
  let roomWriter: StoreWriter
  let readMarkers: [ReadMarker]
  let readMarkerWriter: StoreWriter
  /// nil when history is off.
  let history: (any ServerHistoryStore)?
  /// The group-commit writer every kept entry passes through before it is delivered: one
  /// transaction per group on either backend.
  let historyWriter: GroupCommitWriter?
  /// The link to the other nodes of the network; nil for a server on its own.
  let network: PostgresNetwork?
  private let logger: Logger
  private let accountHandler: @Sendable (AccountRequest) -> AccountResponse?

  /// Creates the data directory if needed (it holds the development certificate whatever the
  /// backend), checks that it can be written, and opens the stores. Kept entries are written
  /// through `historyWriteStore(store)`.
  init(
    _ configuration: ServerConfiguration, clock: any ServerClock, logger: Logger,
    historyWriteStore: @Sendable (any HistoryStore) -> any HistoryStore
  ) throws {
    try FileManager.default.createDirectory(
      atPath: configuration.dataDirectory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    try DataDirectoryCheck.requireWritable(configuration.dataDirectory)
    let backend = try StoreBackend.open(configuration)
    network = backend.network
    self.logger = logger

    accountStore = backend.accounts
    let service = AccountService(
      store: accountStore, caseMapping: .rfc1459, clock: clock,
      registrationOpen: configuration.accounts.registrationOpen,
      failureLimit: configuration.accounts.failedLoginLimit,
      failureWindow: configuration.accounts.failedLoginWindow)
    accountService = service
    accounts = try accountStore.allAccounts().map(AccountSummary.init)
    let administration = AccountAdministration(store: accountStore)
    accountHandler = { request in
      if case .admin(_, let adminRequest) = request { return administration.handle(adminRequest) }
      return service.handle(request)
    }
    logger.info("accounts: \(accounts.count) in \(backend.location)")

    rooms = try backend.rooms.allRooms()
    roomWriter = StoreWriter.rooms(backend.rooms, logger: logger)
    logger.info("rooms: \(rooms.count) restored")

    readMarkers = try backend.readMarkers.allMarkers()
    readMarkerWriter = StoreWriter.readMarkers(backend.readMarkers, logger: logger)
    logger.info("read markers: \(readMarkers.count) loaded")

    guard configuration.history.enabled else {
      history = nil
      historyWriter = nil
      return
    }
    let store = backend.history
    history = store
    historyWriter = GroupCommitWriter(
      store: historyWriteStore(store), label: "lyceum.history.write"
    ) { error in
      logger.error(
        "history write failed; its messages were not delivered (their senders got FAIL) and its events were delivered but not kept: \(error)"
      )
    }
    logger.info("history: kept in \(backend.location)")
  }

  /// What the hub is wired to.
  var hubServices: CoreHub.Services {
    var keep: CoreHub.Services.KeepHistory?
    if let writer = historyWriter {
      keep = { @Sendable entries, publication, done in
        writer.submit(entries, publishing: publication, outcome: done)
      }
    }
    let service = accountService
    let logger = logger
    var claimNick: (@Sendable (NickClaim) -> Bool)?
    var releaseNick: (@Sendable (NickRelease) -> Void)?
    var publicationFailed: (@Sendable (String) -> Void)?
    if let network {
      publicationFailed = { network.requestRejoin(ifStill: $0) }
      claimNick = { claim in
        do {
          return try network.claim(claim)
        } catch {
          logger.error("network: could not claim a nick (answered 433): \(error)")
          return false
        }
      }
      releaseNick = { release in
        do {
          try network.release(release)
        } catch {
          logger.error(
            "network: could not release a nick (it stays until the node leaves): \(error)")
        }
      }
    }
    return CoreHub.Services(
      accountHandler: accountHandler, keepHistory: keep, historyStore: history,
      roomWriter: roomWriter, readMarkerWriter: readMarkerWriter,
      checkBotToken: { ip, account, secret in
        service.tokenLogin(ip: ip, account: account, secret: secret)
      }, networkNode: network?.node, claimNick: claimNick, releaseNick: releaseNick,
      publicationFailed: publicationFailed)
  }

  /// Hands what the stores held at start-up to the hub's core (on its queue, in this order,
  /// before any connection can reach it).
  func load(into hub: CoreHub, logger: Logger) {
    hub.loadAccounts(accounts)
    hub.restoreRooms(rooms)
    hub.loadReadMarkers(readMarkers)
    guard let history else { return }
    do {
      if let newest = try history.newestMsgid() { hub.continueMessageIDs(after: newest) }
      hub.loadDirectConversations(try history.directTargets())
      hub.loadRecentMessages(try history.recentMessages(limit: IRCServerCore.redactableMessages))
    } catch {
      logger.error("could not read the newest msgid: \(error)")
    }
  }
}

/// History retention: the hourly sweep.
extension LyceumServer {
  /// Deletes entries older than the configured retention now and then every hour, on a
  /// utility queue in chunks, so the sweep never stalls delivery. Cancelled at shutdown.
  func scheduleRetention() {
    guard stores.history != nil else { return }
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + .seconds(5), repeating: .seconds(3600))
    timer.setEventHandler { [weak self] in self?.sweepHistory() }
    timer.resume()
    retentionTimer = timer
  }

  func sweepHistory() {
    let retention = controlQueue.sync { configuration.history.retention }
    guard let store = stores.history else { return }
    do {
      let removed = try HistoryRetention(store: store, retention: retention)
        .sweep(nowMilliseconds: clock.wallClockMilliseconds())
      if removed > 0 { logger.info("history retention removed \(removed) entries") }
    } catch {
      logger.error("history retention failed: \(error)")
    }
  }
}
