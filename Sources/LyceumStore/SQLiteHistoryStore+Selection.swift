import GRDB
import LyceumCore

extension SQLiteHistoryStore {
  /// One `HistoryQuery` run inside one read transaction (see `HistoryIDRangeSelection` for the
  /// steps); these are its SQLite primitives.
  struct Selection: HistoryIDRangeSelection {
    let db: Database
    let query: HistoryQuery

    /// Events are left out by a condition the partial indexes over `is_event = 0` match.
    private var filter: String { query.messagesOnly ? "AND is_event = 0" : "" }
    private var timeKey: String { query.messagesOnly ? "message_time_key" : "time_key" }

    func countRange(from: Int64, to: Int64) throws -> Int {
      let statement = try db.cachedStatement(
        sql: """
          SELECT COUNT(*) FROM (SELECT 1 FROM history
          WHERE target = ? \(filter) AND id >= ? AND id < ? LIMIT ?)
          """)
      return try Int.fetchOne(statement, arguments: [query.target.key, from, to, query.limit]) ?? 0
    }

    func id(of msgid: String) throws -> Int64? {
      try Int64.fetchOne(
        db.cachedStatement(
          sql: "SELECT id FROM history WHERE target = ? AND msgid = ? \(filter)"),
        arguments: [query.target.key, msgid])
    }

    /// The time keys never decrease with the id, so the first row in key order is the first in
    /// id order.
    func firstID(timeKey comparison: String, _ time: Int64) throws -> Int64 {
      try Int64.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT id FROM history WHERE target = ? \(filter) AND \(timeKey) \(comparison) ?
            ORDER BY \(timeKey), id LIMIT 1
            """),
        arguments: [query.target.key, time]) ?? Int64.max
    }

    func fetch(from: Int64?, to: Int64?, limit: Int, descending: Bool) throws -> [HistoryEntry] {
      let statement = try db.cachedStatement(
        sql: """
          SELECT \(SQLiteHistoryStore.columns) FROM history
          WHERE target = ? \(filter) AND id >= ? AND id < ?
          ORDER BY id \(descending ? "DESC" : "ASC") LIMIT ?
          """)
      let rows = try Row.fetchCursor(
        statement, arguments: [query.target.key, from ?? Int64.min, to ?? Int64.max, limit])
      var result: [HistoryEntry] = []
      result.reserveCapacity(min(limit, 1024))
      while let row = try rows.next() {
        result.append(try SQLiteHistoryStore.entry(from: row, target: query.target))
      }
      return result
    }
  }
}
