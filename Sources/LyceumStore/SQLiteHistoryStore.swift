import GRDB
import LyceumCore
import Synchronization

/// The `HistoryStore` of a running server: kept messages and events in `LyceumDatabase`.
///
/// Selects exactly what `InMemoryHistoryStore` (the reference, through `HistorySelection`)
/// selects, with indexed range scans only: a reference becomes an id boundary (a msgid through
/// the `UNIQUE (target, msgid)` index, a time through the `time_key` indexes), and a selection a
/// range of ids in `(target, id)` read with `LIMIT`, so its cost depends on the limit, not on
/// the size of the target. Reads run on the pool's readers, concurrently with the one writer.
///
/// One difference from the reference: an entry whose `(target, msgid)` is already stored is
/// ignored rather than kept twice, so a batch retried after an error, or one bad entry, cannot
/// fail a whole group of other people's messages.
///
/// GRDB, as for accounts (see `LyceumStore`): the WAL pool gives concurrent history reads while
/// the group-commit writer commits, and its statement cache keeps the hot queries prepared.
public final class SQLiteHistoryStore: HistoryStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: LyceumDatabase

  /// Rows deleted per transaction by `deleteEntries(olderThan:)`, so that a large retention
  /// sweep lets the writer in between chunks instead of holding the write lock for seconds.
  public let deletionChunk: Int

  /// Kept messages not yet in the search index, at most (see
  /// `SQLiteHistoryStore+SearchIndexing.swift`): a hint that only overstates. Unknown after
  /// opening, so it starts at a batch: what a crash left out is indexed at the first quiet
  /// moment.
  let unindexedMessages = Mutex(SQLiteHistoryStore.searchIndexBatch)

  /// The targets' running time maxima between the writer's transactions (see
  /// `RunningTimeKeys`).
  let runningTimeKeys = Mutex(RunningTimeKeys())

  public init(database: LyceumDatabase, deletionChunk: Int = 5000) {
    self.database = database
    self.deletionChunk = max(1, deletionChunk)
  }

  public func append(_ entries: [HistoryEntry]) throws {
    guard !entries.isEmpty else { return }
    let waiting = unindexedMessages.withLock { $0 }
    var added = 0
    var indexed = false
    var known = runningTimeKeys.withLock { $0 }
    try database.writeTransaction { db in
      try known.validate(db)
      added = try Self.insert(entries, db, keys: &known.keys)
      // A writer that is never idle (saturation) indexes in its own transactions, in batches.
      if waiting + added >= Self.searchIndexInlineBatch {
        try Self.indexUnindexedMessages(db)
        indexed = true
      }
      known.changesOnConnection = db.totalChangesCount
    }
    // Only once committed: after a rollback the old ones stand, and the count of changed rows
    // has moved, so the next transaction reads the maxima again.
    runningTimeKeys.withLock { $0 = known }
    unindexedMessages.withLock { $0 = indexed ? max(0, $0 - waiting) : $0 + added }
  }

  public func entries(_ query: HistoryQuery) throws -> [HistoryEntry] {
    guard query.limit > 0 else { return [] }
    return try database.pool.read { db in
      try Selection(db: db, query: query).run()
    }
  }

  public func count(_ query: HistoryQuery) throws -> Int {
    guard query.limit > 0 else { return 0 }
    return try database.pool.read { db in
      try Selection(db: db, query: query).count()
    }
  }

  public func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)] {
    let found: [(target: HistoryTarget, lastMilliseconds: Int64)] = try database.pool.read { db in
      // The last entry in history order within the window, as the reference takes it; the
      // descending scan of `(target, id)` stops at once when the window reaches the present.
      let statement = try db.cachedStatement(
        sql: """
          SELECT time_ms FROM history INDEXED BY history_by_target
          WHERE target = ? AND time_ms BETWEEN ? AND ? ORDER BY id DESC LIMIT 1
          """)
      return try candidates.compactMap { target in
        guard
          let last = try Int64.fetchOne(statement, arguments: [target.key, from, to])
        else { return nil }
        return (target, last)
      }
    }
    return Array(found.sorted { $0.lastMilliseconds > $1.lastMilliseconds }.prefix(max(0, limit)))
  }

  /// Every direct conversation that has entries (one pass over the target index), for the
  /// core's list of conversations at start-up.
  public func directTargets() throws -> [HistoryTarget] {
    try database.pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT DISTINCT target FROM history WHERE target >= '@' AND target < 'A'"
      ).compactMap(HistoryTarget.init(key:))
    }
  }

  /// The newest `limit` messages (`PRIVMSG`, `NOTICE`, `TAGMSG`; not events), oldest first: the
  /// msgid, target and sender's account name of each, for `REDACT` after a restart.
  public func recentMessages(limit: Int) throws -> [(
    msgid: String, target: HistoryTarget, account: String?
  )] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT msgid, target, account FROM history
          WHERE is_event = 0 AND command IN ('PRIVMSG', 'NOTICE', 'TAGMSG')
          ORDER BY id DESC LIMIT ?
          """, arguments: [limit]
      ).reversed().compactMap { row in
        guard let target = HistoryTarget(key: row["target"]) else { return nil }
        return (msgid: row["msgid"], target: target, account: row["account"])
      }
    }
  }

  /// The msgid kept last (the largest: ids increase with insertion), for the server to continue
  /// after at start-up.
  public func newestMsgid() throws -> String? {
    try database.pool.read { db in
      try String.fetchOne(db, sql: "SELECT msgid FROM history ORDER BY id DESC LIMIT 1")
    }
  }

  public func deleteEntries(olderThan cutoff: Int64) throws -> Int {
    var removed = 0
    while true {
      let count = try database.pool.write { db in
        try db.cachedStatement(
          sql: """
            DELETE FROM history WHERE id IN (
              SELECT id FROM history WHERE time_ms < ? LIMIT ?)
            """
        ).execute(arguments: [cutoff, deletionChunk])
        return db.changesCount
      }
      removed += count
      if count < deletionChunk { return removed }
    }
  }
}
