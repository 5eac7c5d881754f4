import LyceumCore

extension PostgresHistoryStore {
  /// One `HistoryQuery` run inside one read transaction, following `HistorySelection` with ids
  /// in place of list positions, exactly as `SQLiteHistoryStore.Selection` does.
  ///
  /// A reference becomes an id boundary: `start(after:)` is the first id after it, and
  /// `end(before:)` the first id at or after it; `Int64.max` stands for "past the last entry",
  /// nil for an unknown msgid (or, for `messagesOnly`, the msgid of an event).
  struct Selection {
    let connection: PostgresConnection
    let query: HistoryQuery

    /// Events are left out by a condition the partial indexes over `NOT is_event` match.
    private var filter: String { query.messagesOnly ? "AND NOT is_event" : "" }
    private var timeKey: String { query.messagesOnly ? "message_time_key" : "time_key" }

    func run() throws -> [HistoryEntry] {
      let limit = query.limit
      switch query.selector {
      case .latest(nil):
        return try range(from: nil, to: nil, newest: limit)
      case .latest(.some(let reference)):
        guard let start = try start(after: reference) else { return [] }
        return try range(from: start, to: nil, newest: limit)
      case .before(let reference):
        guard let end = try end(before: reference) else { return [] }
        return try range(from: nil, to: end, newest: limit)
      case .after(let reference):
        guard let start = try start(after: reference) else { return [] }
        return try range(from: start, to: nil, oldest: limit)
      case .around(let reference):
        guard let middle = try end(before: reference) else { return [] }
        let before = try range(from: nil, to: middle, newest: limit / 2)
        return before + (try range(from: middle, to: nil, oldest: limit - before.count))
      case .between(let first, let second):
        guard let a = try start(after: first), let b = try end(before: second),
          let c = try end(before: first), let d = try start(after: second)
        else { return [] }
        if c <= b { return a < b ? try range(from: a, to: b, oldest: limit) : [] }
        return d < c ? try range(from: d, to: c, newest: limit) : []
      }
    }

    /// How many entries `run()` selects, counted in the index for `between`, by reading them
    /// for the other selectors.
    func count() throws -> Int {
      guard case .between(let first, let second) = query.selector else { return try run().count }
      guard let a = try start(after: first), let b = try end(before: second),
        let c = try end(before: first), let d = try start(after: second)
      else { return 0 }
      let (from, to) = c <= b ? (a, b) : (d, c)
      guard from < to else { return 0 }
      let counted = try connection.query(
        """
        SELECT count(*) FROM (SELECT 1 FROM history
        WHERE target = $1 \(filter) AND id >= $2 AND id < $3 LIMIT $4) AS selected
        """,
        [query.target.key, from, to, query.limit])
      return Int(try counted.first?.int(0) ?? 0)
    }

    /// The first id after the reference.
    func start(after reference: HistoryReference) throws -> Int64? {
      switch reference {
      case .msgid(let msgid): try id(of: msgid).map { $0 + 1 }
      case .timestamp(let time): try firstID(timeKey: ">", time)
      }
    }

    /// The id of the reference itself, or of the first entry at or after the time.
    func end(before reference: HistoryReference) throws -> Int64? {
      switch reference {
      case .msgid(let msgid): try id(of: msgid)
      case .timestamp(let time): try firstID(timeKey: ">=", time)
      }
    }

    private func id(of msgid: String) throws -> Int64? {
      try connection.query(
        "SELECT id FROM history WHERE target = $1 AND msgid = $2 \(filter)",
        [query.target.key, msgid]
      ).first?.int(0)
    }

    /// The first id whose time is `comparison` `time`: the time keys never decrease with the
    /// id, so the first row in key order is the first in id order; past the end if none.
    private func firstID(timeKey comparison: String, _ time: Int64) throws -> Int64 {
      try connection.query(
        """
        SELECT id FROM history WHERE target = $1 \(filter) AND \(timeKey) \(comparison) $2
        ORDER BY \(timeKey), id LIMIT 1
        """,
        [query.target.key, time]
      ).first?.int(0) ?? Int64.max
    }

    /// The oldest `limit` entries with `from <= id < to`, oldest first.
    private func range(from: Int64?, to: Int64?, oldest limit: Int) throws -> [HistoryEntry] {
      try fetch(from: from, to: to, limit: limit, descending: false)
    }

    /// The newest `limit` entries with `from <= id < to`, oldest first.
    private func range(from: Int64?, to: Int64?, newest limit: Int) throws -> [HistoryEntry] {
      try fetch(from: from, to: to, limit: limit, descending: true).reversed()
    }

    private func fetch(from: Int64?, to: Int64?, limit: Int, descending: Bool) throws
      -> [HistoryEntry]
    {
      guard limit > 0 else { return [] }
      return try connection.query(
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
