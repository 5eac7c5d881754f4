import GRDB
import LyceumCore

/// Reading every row out, for `lyceumd migrate-store`: one indexed range of the primary key per
/// batch, so that a history of any size is read in bounded memory while the rows stay in order.
extension SQLiteHistoryStore: StoredHistoryRowSource {
  public func storedRows(afterID: Int64, limit: Int) throws -> [StoredHistoryRow] {
    guard limit > 0 else { return [] }
    return try database.pool.read { db in
      try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT \(Self.columns), target, time_key, message_time_key, thread_root
            FROM history WHERE id > ? ORDER BY id LIMIT ?
            """),
        arguments: [afterID, limit]
      ).map { row in
        let key: String = row[10]
        guard let target = HistoryTarget(key: key) else {
          throw HistoryCoding.CorruptColumn(column: "target", text: key)
        }
        return StoredHistoryRow(
          id: row[0], entry: try Self.entry(from: row, target: target), timeKey: row[11],
          messageTimeKey: row[12], threadRoot: row[13])
      }
    }
  }

  public func entryCounts() throws -> [String: Int] {
    try database.pool.read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT target, count(*) FROM history GROUP BY target") {
        counts[row[0]] = row[1]
      }
      return counts
    }
  }
}
