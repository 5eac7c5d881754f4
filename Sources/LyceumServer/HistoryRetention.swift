import LyceumCore

/// Enforces `history.retention`: deletes what is older than the retention period, in the
/// store's chunks, off the core's queue.
struct HistoryRetention {
  let store: any HistoryStore
  /// How long entries are kept; nil keeps them forever.
  let retention: Duration?

  /// The oldest time still kept at `nowMilliseconds`, or nil when everything is kept.
  func cutoff(nowMilliseconds: Int64) -> Int64? {
    guard let retention else { return nil }
    let (seconds, attoseconds) = retention.components
    return nowMilliseconds - (seconds * 1000 + attoseconds / 1_000_000_000_000_000)
  }

  /// Deletes the expired entries; returns how many went.
  func sweep(nowMilliseconds: Int64) throws -> Int {
    guard let cutoff = cutoff(nowMilliseconds: nowMilliseconds) else { return 0 }
    return try store.deleteEntries(olderThan: cutoff)
  }
}
