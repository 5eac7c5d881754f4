import LyceumCore
import LyceumStore

/// The `HistoryStore` on PostgreSQL: kept messages and events in `PostgresDatabase`.
///
/// The same schema idea and the same answers as `SQLiteHistoryStore` (and so as
/// `InMemoryHistoryStore`, the reference): a reference becomes an id boundary (a msgid through
/// `UNIQUE (target, msgid)`, a time through the `time_key` indexes) and a selection one or two
/// id ranges of `(target, id)` read with `LIMIT`. An entry whose `(target, msgid)` is already
/// stored is ignored rather than failing its whole group.
///
/// `append` is one transaction per call, that is one per group of the `GroupCommitWriter`;
/// with `synchronous_commit = on` (set by `PostgresDatabase`) it returns once the group is
/// durably committed. Reads run in read-only snapshot transactions on other connections of the
/// pool, concurrently with the writer.
public final class PostgresHistoryStore: ServerHistoryStore, NetworkPublishingHistoryStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: PostgresDatabase

  /// Rows deleted per transaction by `deleteEntries(olderThan:)`, so that a large retention
  /// sweep never holds locks on many rows for long.
  public let deletionChunk: Int

  public init(database: PostgresDatabase, deletionChunk: Int = 5000) {
    self.database = database
    self.deletionChunk = max(1, deletionChunk)
  }

  public func append(_ entries: [HistoryEntry]) throws {
    guard !entries.isEmpty else { return }
    try database.write { connection in try Self.insert(entries, connection) }
  }

  /// Keeps `entries` and publishes `publication` to the other nodes in one transaction: a
  /// message is kept and published, or neither. The entries go first, so the publishing lock
  /// (which orders every node's events) is held only for the events and the commit.
  public func append(_ entries: [HistoryEntry], publishing publication: NetworkPublication)
    throws
  {
    try database.write { connection in
      if !entries.isEmpty { try Self.insert(entries, connection) }
      try PostgresNetwork.publish(
        publication, notifying: database.notificationChannel, connection)
    }
  }

  public func entries(_ query: HistoryQuery) throws -> [HistoryEntry] {
    guard query.limit > 0 else { return [] }
    return try database.read { connection in
      try Selection(connection: connection, query: query).run()
    }
  }

  public func count(_ query: HistoryQuery) throws -> Int {
    guard query.limit > 0 else { return 0 }
    return try database.read { connection in
      try Selection(connection: connection, query: query).count()
    }
  }

  public func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)] {
    guard !candidates.isEmpty else { return [] }
    // Every candidate in one statement: for each, the last entry in history order within the
    // window (as the reference takes it), one descending scan of `(target, id)`.
    let last: [String: Int64] = try database.read { connection in
      var found: [String: Int64] = [:]
      for row in try connection.query(
        """
        SELECT u.target, last.time_ms FROM unnest($1::text[]) AS u (target)
        CROSS JOIN LATERAL (
          SELECT time_ms FROM history WHERE target = u.target AND time_ms BETWEEN $2 AND $3
          ORDER BY id DESC LIMIT 1) AS last
        """,
        [PostgresValue.textArray(candidates.map(\.key)), from, to]
      ).rows {
        found[try row.text(0)] = try row.int(1)
      }
      return found
    }
    // In the candidates' order before the (stable) sort, so ties fall as in the reference.
    let found = candidates.compactMap { target in
      last[target.key].map { (target: target, lastMilliseconds: $0) }
    }
    return Array(found.sorted { $0.lastMilliseconds > $1.lastMilliseconds }.prefix(max(0, limit)))
  }

  public func directTargets() throws -> [HistoryTarget] {
    try database.read { connection in
      try connection.query(
        "SELECT DISTINCT target FROM history WHERE target >= '@' AND target < 'A'"
      ).rows.compactMap { HistoryTarget(key: try $0.text(0)) }
    }
  }

  public func recentMessages(limit: Int) throws -> [(
    msgid: String, target: HistoryTarget, account: String?
  )] {
    try database.read { connection in
      try connection.query(
        """
        SELECT msgid, target, account FROM history
        WHERE NOT is_event AND command IN ('PRIVMSG', 'NOTICE', 'TAGMSG')
        ORDER BY id DESC LIMIT $1
        """,
        [limit]
      ).rows.reversed().compactMap { row in
        guard let target = HistoryTarget(key: try row.text(1)) else { return nil }
        return (msgid: try row.text(0), target: target, account: row.optionalText(2))
      }
    }
  }

  public func newestMsgid() throws -> String? {
    try database.read { connection in
      try connection.query("SELECT msgid FROM history ORDER BY id DESC LIMIT 1").first?.text(0)
    }
  }

  public func deleteEntries(olderThan cutoff: Int64) throws -> Int {
    var removed = 0
    while true {
      let count = try database.write { connection in
        try connection.query(
          """
          DELETE FROM history WHERE id IN (
            SELECT id FROM history WHERE time_ms < $1 LIMIT $2)
          """,
          [cutoff, deletionChunk]
        ).affected
      }
      removed += count
      if count < deletionChunk { return removed }
    }
  }
}
