import LyceumCore
import LyceumStore

/// Copying history in and reading it out whole, for `lyceumd migrate-store`: rows as another
/// store kept them (`StoredHistoryRow`), with their time keys and thread roots as they were.
extension PostgresHistoryStore: StoredHistoryRowSource {
  /// Inserts `rows` in one transaction, in their order (so history order is kept), exactly as
  /// given: no time key or thread is recomputed and a `REDACT` erases nothing. Meant for an
  /// empty store; a row whose `(target, msgid)` is already kept is left out, which the
  /// migration's check then reports.
  public func importRows(_ rows: [StoredHistoryRow]) throws {
    guard !rows.isEmpty else { return }
    var batch = HistoryRows()
    for row in rows {
      batch.append(
        row.entry, timeKey: row.timeKey, messageTimeKey: row.messageTimeKey,
        threadRoot: row.threadRoot)
    }
    try database.write { connection in try batch.insert(connection) }
  }

  public func storedRows(afterID: Int64, limit: Int) throws -> [StoredHistoryRow] {
    guard limit > 0 else { return [] }
    return try database.read { connection in
      try connection.query(
        """
        SELECT \(Self.columns), target, time_key, message_time_key, thread_root
        FROM history WHERE id > $1 ORDER BY id LIMIT $2
        """,
        [afterID, limit]
      ).rows.map { row in
        let key = try row.text(10)
        guard let target = HistoryTarget(key: key) else {
          throw PostgresError(.decoding, "history: a row with target '\(key)'")
        }
        return StoredHistoryRow(
          id: try row.int(0), entry: try Self.entry(from: row, target: target),
          timeKey: try row.int(11), messageTimeKey: try row.optionalInt(12),
          threadRoot: row.optionalText(13))
      }
    }
  }

  public func entryCounts() throws -> [String: Int] {
    try database.read { connection in
      var counts: [String: Int] = [:]
      for row in try connection.query("SELECT target, count(*) FROM history GROUP BY target").rows {
        counts[try row.text(0)] = Int(try row.int(1))
      }
      return counts
    }
  }
}
