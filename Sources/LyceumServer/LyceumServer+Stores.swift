import Dispatch
import Logging
import LyceumAccounts
import LyceumCore
import LyceumStore

/// Opening the stores at start-up: accounts, rooms, read markers and history, all in the one
/// SQLite database of the data directory, and the history retention sweep.
extension LyceumServer {
  /// Loads the account directory from the database into the core and starts the account
  /// service that answers the core's SASL, PASS and REGISTER requests.
  func openAccounts(_ configuration: ServerConfiguration, database: LyceumDatabase) throws {
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
  func openHistory(_ configuration: ServerConfiguration, database: LyceumDatabase) {
    guard configuration.history.enabled else { return }
    let store = SQLiteHistoryStore(database: database)
    let logger = self.logger
    let writer = GroupCommitWriter(store: historyWriteStore(store), label: "lyceum.history.write") {
      error in
      logger.error(
        "history write failed; its messages were not delivered (their senders got FAIL) and its events were delivered but not kept: \(error)"
      )
    }
    hub.historyStore = store
    do {
      if let newest = try store.newestMsgid() { hub.continueMessageIDs(after: newest) }
      hub.loadDirectConversations(try store.directTargets())
    } catch {
      logger.error("could not read the newest msgid: \(error)")
    }
    hub.keepHistory = { entries, done in writer.submit(entries, outcome: done) }
    historyStore = store
    scheduleRetention()
    logger.info("history: kept in \(database.path)")
  }

  /// Deletes entries older than the configured retention now and then every hour, on a
  /// utility queue in chunks, so the sweep never stalls delivery.
  func scheduleRetention() {
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + .seconds(5), repeating: .seconds(3600))
    timer.setEventHandler { [weak self] in self?.sweepHistory() }
    timer.resume()
    retentionTimer = timer
  }

  func sweepHistory() {
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
  func openRooms(_ database: LyceumDatabase) throws {
    let store = SQLiteRoomStore(database: database)
    let records = try store.allRooms()
    let writer = StoreWriter.rooms(store, logger: logger)
    hub.restoreRooms(records, writer: writer)
    roomWriter = writer
    logger.info("rooms: \(records.count) restored")
  }

  /// Loads every read marker (one row per account and target) into the core and has later
  /// moves written back.
  func openReadMarkers(_ database: LyceumDatabase) throws {
    let store = SQLiteReadMarkerStore(database: database)
    let markers = try store.allMarkers()
    let writer = StoreWriter.readMarkers(store, logger: logger)
    hub.loadReadMarkers(markers, writer: writer)
    readMarkerWriter = writer
    logger.info("read markers: \(markers.count) loaded")
  }
}
