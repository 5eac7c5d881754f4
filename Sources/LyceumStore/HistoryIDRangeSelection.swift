import LyceumCore

/// How a `HistoryQuery` is answered by a store whose entries carry ids that increase in the
/// order they were kept: the shared steps of `SQLiteHistoryStore.Selection` and
/// `PostgresHistoryStore.Selection`, which differ only in the SQL of the primitives.
///
/// A reference becomes an id boundary: `start(after:)` is the first id after it, and
/// `end(before:)` the first id at or after it (everything below is "before"); `Int64.max`
/// stands for "past the last entry", nil for an unknown msgid (or, for `messagesOnly`, the
/// msgid of an event, which is not in the list the reference sees). A selection is then one or
/// two id ranges, each an index range scan with `LIMIT`, following `HistorySelection` with ids
/// in place of list positions.
package protocol HistoryIDRangeSelection {
  var query: HistoryQuery { get }
  /// The id of the entry `msgid` in the query's target (and filter), if there is one.
  func id(of msgid: String) throws -> Int64?
  /// The first id whose time key is `comparison` (`>` or `>=`) `time`; `Int64.max` if none.
  func firstID(timeKey comparison: String, _ time: Int64) throws -> Int64
  /// Up to `limit` entries with `from <= id < to`, in id order (`descending`: newest first).
  func fetch(from: Int64?, to: Int64?, limit: Int, descending: Bool) throws -> [HistoryEntry]
  /// How many entries (at most the query's limit) have `from <= id < to`, counted in the index.
  func countRange(from: Int64, to: Int64) throws -> Int
}

extension HistoryIDRangeSelection {
  package func run() throws -> [HistoryEntry] {
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

  /// How many entries `run()` selects, counted in the index for `between` (a catch-up's unread
  /// count), by reading them for the other selectors.
  package func count() throws -> Int {
    guard case .between(let first, let second) = query.selector else { return try run().count }
    guard let a = try start(after: first), let b = try end(before: second),
      let c = try end(before: first), let d = try start(after: second)
    else { return 0 }
    let (from, to) = c <= b ? (a, b) : (d, c)
    guard from < to else { return 0 }
    return try countRange(from: from, to: to)
  }

  /// The first id after the reference.
  package func start(after reference: HistoryReference) throws -> Int64? {
    switch reference {
    case .msgid(let msgid): try id(of: msgid).map { $0 + 1 }
    case .timestamp(let time): try firstID(timeKey: ">", time)
    }
  }

  /// The id of the reference itself, or of the first entry at or after the time.
  package func end(before reference: HistoryReference) throws -> Int64? {
    switch reference {
    case .msgid(let msgid): try id(of: msgid)
    case .timestamp(let time): try firstID(timeKey: ">=", time)
    }
  }

  /// The oldest `limit` entries with `from <= id < to`, oldest first.
  private func range(from: Int64?, to: Int64?, oldest limit: Int) throws -> [HistoryEntry] {
    guard limit > 0 else { return [] }
    return try fetch(from: from, to: to, limit: limit, descending: false)
  }

  /// The newest `limit` entries with `from <= id < to`, oldest first.
  private func range(from: Int64?, to: Int64?, newest limit: Int) throws -> [HistoryEntry] {
    guard limit > 0 else { return [] }
    return try fetch(from: from, to: to, limit: limit, descending: true).reversed()
  }
}
