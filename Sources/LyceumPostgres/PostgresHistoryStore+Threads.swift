import LyceumCore

/// Threads (`THREADS`, `THREAD`), read through `history_by_thread`: the cost of a listing grows
/// with the number of replies in the target, that of a thread with the size of the thread.
extension PostgresHistoryStore {
  public func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  {
    guard limit > 0 else { return [] }
    return try database.read { connection in
      // The cursor: nothing before the newest (nil), a time, or the listed thread of a root.
      var cursorTime: Int64? = nil
      var cursorRoot = ""
      switch before {
      case nil: break
      case .timestamp(let time): cursorTime = time
      case .msgid(let root):
        guard let last = try lastActivity(of: root, in: target, connection) else { return [] }
        cursorTime = last
        cursorRoot = root
      }
      // A thread's activity is the time of its reply with the largest id (the newest reply
      // in history order), as in SQLite and the reference.
      let rows = try connection.query(
        """
        WITH replies AS (
          SELECT thread_root AS root, count(*) AS replies, max(id) AS last_id
          FROM history
          WHERE target = $1 AND thread_root IS NOT NULL AND NOT is_event
          GROUP BY thread_root),
        threads AS (
          SELECT replies.root, replies.replies, last.time_ms AS last_ms
          FROM replies JOIN history AS last ON last.id = replies.last_id)
        SELECT threads.replies, threads.last_ms, \(Self.qualifiedColumns("r"))
        FROM threads JOIN history AS r ON r.target = $1 AND r.msgid = threads.root
        WHERE NOT r.is_event
          AND ($2::bigint IS NULL OR threads.last_ms < $2
            OR (threads.last_ms = $2 AND threads.root < $3))
        ORDER BY threads.last_ms DESC, threads.root DESC LIMIT $4
        """,
        [target.key, cursorTime, cursorRoot, limit])
      return try rows.rows.map { row in
        let root = try Self.entry(from: row, offset: 2, target: target)
        let participants = try Self.participants(of: root.msgid, in: target, connection)
        return HistoryThread(
          root: root, replyCount: Int(try row.int(0)), lastMilliseconds: try row.int(1),
          participants: Array(participants.prefix(HistoryThreading.participantCap)),
          participantCount: participants.count)
      }
    }
  }

  public func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry] {
    guard query.limit > 0 else { return [] }
    let filter = query.messagesOnly ? "AND NOT is_event" : ""
    let thread = try database.read { connection in
      // A msgid of a reply stands for the thread it is in.
      let key = query.target.key
      let root =
        try connection.query(
          "SELECT thread_root FROM history WHERE target = $1 AND msgid = $2", [key, root]
        ).first?.optionalText(0) ?? root
      return try connection.query(
        """
        SELECT \(Self.columns) FROM history WHERE target = $1 AND thread_root = $2 \(filter)
        UNION ALL
        SELECT \(Self.columns) FROM history WHERE target = $1 AND msgid = $2 AND NOT is_event
        ORDER BY id
        """,
        [key, root]
      ).rows.map { try Self.entry(from: $0, target: query.target) }
    }
    // A thread is read whole (it is one index range) and selected like the reference, so that
    // time references mean exactly what they mean in `HistorySelection`.
    return HistorySelection.select(query.selector, limit: query.limit, in: thread)
  }

  /// The time of the newest message reply of the thread of `root`; nil if it has none.
  private func lastActivity(
    of root: String, in target: HistoryTarget, _ connection: PostgresConnection
  ) throws -> Int64? {
    try connection.query(
      """
      SELECT time_ms FROM history WHERE target = $1 AND thread_root = $2 AND NOT is_event
      ORDER BY id DESC LIMIT 1
      """,
      [target.key, root]
    ).first?.int(0)
  }

  /// Every participant of the thread of `root`, in order of their first message (the root's
  /// author first), named as `HistoryThreading.participant(of:)` names them.
  private static func participants(
    of root: String, in target: HistoryTarget, _ connection: PostgresConnection
  ) throws -> [String] {
    try connection.query(
      """
      SELECT who FROM (
        SELECT coalesce(account, split_part(source, '!', 1)) AS who, min(id) AS first
        FROM (
          SELECT id, account, source FROM history
          WHERE target = $1 AND thread_root = $2 AND NOT is_event
          UNION ALL
          SELECT id, account, source FROM history WHERE target = $1 AND msgid = $2) AS authors
        GROUP BY who) AS named
      ORDER BY first
      """,
      [target.key, root]
    ).rows.map { try $0.text(0) }
  }
}
