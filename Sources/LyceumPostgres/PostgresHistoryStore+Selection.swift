import LyceumCore
import LyceumStore

extension PostgresHistoryStore {
  /// One `HistoryQuery` run inside one read transaction (see `HistoryIDRangeSelection` for the
  /// steps, shared with `SQLiteHistoryStore.Selection`); these are its PostgreSQL primitives.
  struct Selection: HistoryIDRangeSelection {
    let connection: PostgresConnection
    let query: HistoryQuery

    /// Events are left out by a condition the partial indexes over `NOT is_event` match.
    private var filter: String { query.messagesOnly ? "AND NOT is_event" : "" }
    private var timeKey: String { query.messagesOnly ? "message_time_key" : "time_key" }

    func countRange(from: Int64, to: Int64) throws -> Int {
      let counted = try connection.query(
        """
        SELECT count(*) FROM (SELECT 1 FROM history
        WHERE target = $1 \(filter) AND id >= $2 AND id < $3 LIMIT $4) AS selected
        """,
        [query.target.key, from, to, query.limit])
      return Int(try counted.first?.int(0) ?? 0)
    }

    func id(of msgid: String) throws -> Int64? {
      try connection.query(
        "SELECT id FROM history WHERE target = $1 AND msgid = $2 \(filter)",
        [query.target.key, msgid]
      ).first?.int(0)
    }

    /// The time keys never decrease with the id, so the first row in key order is the first in
    /// id order.
    func firstID(timeKey comparison: String, _ time: Int64) throws -> Int64 {
      try connection.query(
        """
        SELECT id FROM history WHERE target = $1 \(filter) AND \(timeKey) \(comparison) $2
        ORDER BY \(timeKey), id LIMIT 1
        """,
        [query.target.key, time]
      ).first?.int(0) ?? Int64.max
    }

    func fetch(from: Int64?, to: Int64?, limit: Int, descending: Bool) throws -> [HistoryEntry] {
      try connection.query(
        """
        SELECT \(PostgresHistoryStore.columns) FROM history
        WHERE target = $1 \(filter) AND id >= $2 AND id < $3
        ORDER BY id \(descending ? "DESC" : "ASC") LIMIT $4
        """,
        [query.target.key, from ?? Int64.min, to ?? Int64.max, limit]
      ).rows.map { try PostgresHistoryStore.entry(from: $0, target: query.target) }
    }
  }
}
