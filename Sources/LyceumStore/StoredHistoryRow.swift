import LyceumCore

/// One history row exactly as a store keeps it: the entry, and what the store derived from the
/// rows before it when it was kept (the running time keys a timestamp reference seeks in, the
/// thread a reply joined). `lyceumd migrate-store` copies these rather than entries, so that
/// nothing is recomputed on the way: a reply whose root was since redacted or expired stays in
/// its thread, and a `REDACT` erases nothing a second time.
public struct StoredHistoryRow: Sendable, Equatable {
  /// The row's place in history order in the store it was read from (ids are not kept by a
  /// copy: only their order is).
  public var id: Int64
  public var entry: HistoryEntry
  /// The running maximum of the target's times up to this row.
  public var timeKey: Int64
  /// The same over the target's messages; nil for an event.
  public var messageTimeKey: Int64?
  /// The msgid of the thread root a reply joined; nil for a message in no thread.
  public var threadRoot: String?

  public init(
    id: Int64, entry: HistoryEntry, timeKey: Int64, messageTimeKey: Int64?, threadRoot: String?
  ) {
    self.id = id
    self.entry = entry
    self.timeKey = timeKey
    self.messageTimeKey = messageTimeKey
    self.threadRoot = threadRoot
  }
}

/// A store whose history rows can be read out whole, in history order and in batches of
/// bounded size, and counted per target: what a migration copies and then checks.
public protocol StoredHistoryRowSource: Sendable {
  /// At most `limit` rows with an id above `afterID`, in history order (ascending id).
  func storedRows(afterID: Int64, limit: Int) throws -> [StoredHistoryRow]
  /// How many rows each target holds, by target key (`#chan`, `@alice:bob`).
  func entryCounts() throws -> [String: Int]
}
