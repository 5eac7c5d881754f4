import GRDB
import LyceumCore

/// Threads (`THREADS`, `THREAD`), read through `history_by_thread`: the cost of a listing grows
/// with the number of replies in the target, that of a thread with the size of the thread,
/// never with the rest of the target's history.
extension SQLiteHistoryStore {
  public func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  {
    guard limit > 0 else { return [] }
    return try database.pool.read { db in
      // The cursor: nothing before the newest (nil), a time, or the listed thread of a root.
      var cursorTime: Int64? = nil
      var cursorRoot = ""
      switch before {
      case nil: break
      case .timestamp(let time): cursorTime = time
      case .msgid(let root):
        guard let last = try lastActivity(of: root, in: target, db) else { return [] }
        cursorTime = last
        cursorRoot = root
      }
      // `time_ms` next to `max(id)` is taken from the row with the largest id (SQLite's
      // bare-column rule): the time of the newest reply.
      let statement = try db.cachedStatement(
        sql: """
          WITH threads AS (
            SELECT thread_root AS root, count(*) AS replies, max(id) AS last_id,
              time_ms AS last_ms
            FROM history INDEXED BY history_by_thread
            WHERE target = ? AND thread_root IS NOT NULL AND is_event = 0
            GROUP BY thread_root)
          SELECT threads.replies, threads.last_ms, \(Self.qualifiedColumns("r"))
          FROM threads JOIN history AS r ON r.target = ? AND r.msgid = threads.root
          WHERE r.is_event = 0
            AND (? IS NULL OR threads.last_ms < ? OR (threads.last_ms = ? AND threads.root < ?))
          ORDER BY threads.last_ms DESC, threads.root DESC LIMIT ?
          """)
      let rows = try Row.fetchAll(
        statement,
        arguments: [
          target.key, target.key, cursorTime, cursorTime, cursorTime, cursorRoot, limit,
        ])
      return try rows.map { row in
        let root = try Self.entry(from: row, offset: 2, target: target)
        let participants = try self.participants(of: root.msgid, in: target, db)
        return HistoryThread(
          root: root, replyCount: row[0], lastMilliseconds: row[1],
          participants: Array(participants.prefix(HistoryThreading.participantCap)),
          participantCount: participants.count)
      }
    }
  }

  public func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry] {
    guard query.limit > 0 else { return [] }
    let filter = query.messagesOnly ? "AND is_event = 0" : ""
    let thread = try database.pool.read { db in
      // A msgid of a reply stands for the thread it is in.
      let key = query.target.key
      let root =
        try String.fetchOne(
          db.cachedStatement(
            sql: "SELECT thread_root FROM history WHERE target = ? AND msgid = ?"),
          arguments: [key, root]) ?? root
      let statement = try db.cachedStatement(
        sql: """
          SELECT \(Self.columns) FROM history INDEXED BY history_by_thread
          WHERE target = ? AND thread_root = ? \(filter)
          UNION ALL
          SELECT \(Self.columns) FROM history WHERE target = ? AND msgid = ? AND is_event = 0
          ORDER BY id
          """)
      return try Row.fetchAll(statement, arguments: [key, root, key, root]).map {
        try Self.entry(from: $0, target: query.target)
      }
    }
    // A thread is read whole (it is one index range) and selected like the reference, so that
    // time references mean exactly what they mean in `HistorySelection`.
    return HistorySelection.select(query.selector, limit: query.limit, in: thread)
  }

  /// The time of the newest message reply of the thread of `root`; nil if it has none.
  private func lastActivity(of root: String, in target: HistoryTarget, _ db: Database) throws
    -> Int64?
  {
    try Int64.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT time_ms FROM history INDEXED BY history_by_thread
          WHERE target = ? AND thread_root = ? AND is_event = 0 ORDER BY id DESC LIMIT 1
          """),
      arguments: [target.key, root])
  }

  /// Every participant of the thread of `root`, in order of their first message (the root's
  /// author first), named as `HistoryThreading.participant(of:)` names them.
  private func participants(of root: String, in target: HistoryTarget, _ db: Database) throws
    -> [String]
  {
    try String.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT who FROM (
            SELECT coalesce(account, substr(source, 1, instr(source || '!', '!') - 1)) AS who,
              min(id) AS first
            FROM (
              SELECT id, account, source FROM history INDEXED BY history_by_thread
              WHERE target = ? AND thread_root = ? AND is_event = 0
              UNION ALL
              SELECT id, account, source FROM history WHERE target = ? AND msgid = ?)
            GROUP BY who)
          ORDER BY first
          """),
      arguments: [target.key, root, target.key, root])
  }
}
