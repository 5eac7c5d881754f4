/// Durable history, behind a protocol so the core stays pure: SQLite in `LyceumStore`, memory
/// in `InMemoryHistoryStore` for tests.
///
/// Writes come in batches from one writer (group commit: all entries kept within a few
/// milliseconds go in one transaction); reads may run concurrently with them.
public protocol HistoryStore: Sendable {
  /// Stores `entries` in one transaction; when it returns they survive a crash of the process.
  func append(_ entries: [HistoryEntry]) throws
  /// Entries of one target selected by `query`, oldest first.
  func entries(_ query: HistoryQuery) throws -> [HistoryEntry]
  /// Targets with entries between two times, newest activity first (`CHATHISTORY TARGETS`),
  /// limited to `candidates` (the targets the asker may read).
  func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)]
  /// Deletes entries older than `cutoff`; returns how many went (retention).
  func deleteEntries(olderThan cutoff: Int64) throws -> Int
  /// The threads of `target` (see `HistoryThread`), newest activity first, at most `limit`:
  /// all of them (`before` nil), those whose last activity is older than a time, or those
  /// listed after the thread whose root is a msgid (`THREADS`). A thread whose root is no
  /// longer kept is not listed.
  func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  /// The entries of the thread whose root is `root` in `query.target`, its root first and then
  /// its replies, selected by `query` exactly as `entries(_:)` selects from a whole target
  /// (`THREAD`). The msgid of a reply stands for its thread; the msgid of a message that is in
  /// no thread gives that message alone, an unknown msgid nothing.
  func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry]
  /// How many entries `query` selects, at most `query.limit`: `entries(query).count` without
  /// reading the entries (the unread count of a catch-up replay).
  func count(_ query: HistoryQuery) throws -> Int
  /// The kept `PRIVMSG` and `NOTICE` lines that match `query` (`SEARCH`), newest first, only
  /// from `query.scopes` and never before a scope's floor; stops at the query's limit, row
  /// budget or time budget, whichever comes first.
  func search(_ query: SearchQuery) throws -> SearchResult
}

/// Thrown by a store that cannot search; the client sees `FAIL SEARCH INTERNAL_ERROR`.
public struct SearchUnsupported: Error {}

extension HistoryStore {
  /// Stores without a search index refuse, rather than answer with nothing found.
  public func search(_ query: SearchQuery) throws -> SearchResult { throw SearchUnsupported() }

  /// By default the entries are read and counted (test doubles).
  public func count(_ query: HistoryQuery) throws -> Int {
    try entries(query).count
  }
}

/// A point in a target's history: a message id or a time.
public enum HistoryReference: Sendable, Equatable {
  case msgid(String)
  /// Milliseconds since 1970.
  case timestamp(Int64)
}

/// One `CHATHISTORY` selection over a single target.
public struct HistoryQuery: Sendable, Equatable {
  public enum Selector: Sendable, Equatable {
    /// The newest entries, optionally only those after a reference (`LATEST <target> <ref|*>`).
    case latest(after: HistoryReference?)
    /// Entries before the reference, the newest of them.
    case before(HistoryReference)
    /// Entries after the reference, the oldest of them.
    case after(HistoryReference)
    /// About `limit / 2` entries on each side of the reference (and the reference itself).
    case around(HistoryReference)
    /// Entries strictly between two references, starting from the first.
    case between(HistoryReference, HistoryReference)
  }

  public var target: HistoryTarget
  public var selector: Selector
  public var limit: Int
  /// Only `PRIVMSG` and `NOTICE`: leave out `TAGMSG` and membership, topic and mode events
  /// (`HistoryEntry.isEvent`), for clients without `draft/event-playback`.
  public var messagesOnly: Bool

  public init(target: HistoryTarget, selector: Selector, limit: Int, messagesOnly: Bool) {
    self.target = target
    self.selector = selector
    self.limit = limit
    self.messagesOnly = messagesOnly
  }
}
