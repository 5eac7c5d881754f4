import GRDB
import LyceumCore

/// The search index is filled in batches, after the messages are kept, not in the transaction
/// that keeps each one.
///
/// Why: adding one message to FTS5 in its own commit wrote a new index segment per commit, and
/// the index merged those segments again and again. Measured (release, TLS, `lyceum-bench
/// fanout --clients 200 --rate 0`, the server pinned to one core, three runs each): the same
/// server without indexing spent 0.39 against 0.41–0.44 µs per delivery, about a tenth of its
/// CPU; and every lone line waited for its indexing before anyone was shown it.
///
/// When: when the history writer has nothing else to do and at least `searchIndexBatch`
/// messages wait (`writerIsIdle`); inside a keeping transaction once `searchIndexInlineBatch`
/// wait (a writer that is never idle); and before every search, so a search finds every
/// message kept before it. `search_progress.indexed_through` (migration `v11-search-progress`)
/// records, in the transaction that indexes, the newest history row looked at, so rows a crash
/// left out are indexed after the restart.
extension SQLiteHistoryStore: WorkWhenWriterIdle {
  /// Messages that wait for a quiet moment of the writer before they are indexed.
  static let searchIndexBatch = 256
  /// Messages after which a keeping transaction indexes them itself.
  static let searchIndexInlineBatch = 4096

  /// Indexes the waiting messages when there are enough to make a batch worth its segment.
  /// Called on the writer's queue between groups. A failure leaves them waiting: the next
  /// quiet moment, or the next search, tries again.
  public func writerIsIdle() {
    let waiting = unindexedMessages.withLock { $0 }
    guard waiting >= Self.searchIndexBatch else { return }
    indexWaitingMessages(waiting)
  }

  /// Indexes every message waiting (before a search); nothing to do when none waits.
  func indexBeforeSearch() {
    let waiting = unindexedMessages.withLock { $0 }
    guard waiting > 0 else { return }
    indexWaitingMessages(waiting)
  }

  private func indexWaitingMessages(_ waiting: Int) {
    do {
      try database.writeTransaction { db in try Self.indexUnindexedMessages(db) }
      unindexedMessages.withLock { $0 = max(0, $0 - waiting) }
    } catch {
      // Left waiting; the transaction rolled back, progress included.
    }
  }

  /// Adds every kept `PRIVMSG` and `NOTICE` after `search_progress.indexed_through` to the
  /// index and moves the mark to the newest history row, in the caller's write transaction.
  static func indexUnindexedMessages(_ db: Database) throws {
    let through =
      try Int64.fetchOne(db, sql: "SELECT indexed_through FROM search_progress WHERE only = 0")
      ?? 0
    let rows = try Row.fetchCursor(
      db.cachedStatement(
        sql: """
          SELECT id, target, params FROM history
          WHERE id > ? AND is_event = 0 AND command IN ('PRIVMSG', 'NOTICE') ORDER BY id
          """),
      arguments: [through])
    while let row = try rows.next() {
      try index(id: row[0], target: row[1], params: try HistoryCoding.decodeParams(row[2]), db)
    }
    let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM history") ?? through
    try db.execute(
      sql: "UPDATE search_progress SET indexed_through = ? WHERE only = 0",
      arguments: [max(newest, through)])
  }
}
