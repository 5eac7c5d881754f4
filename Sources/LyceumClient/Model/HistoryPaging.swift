/// Where a buffer stands with the server's history: what has been asked for, and whether the
/// beginning has been reached, so that scrolling up asks once per page and stops at the start.
public struct HistoryPaging: Equatable, Sendable {
  /// A `CHATHISTORY LATEST`/`BEFORE` request is on its way; do not ask again.
  public var isLoadingOlder = false
  /// A gap fill (`AFTER`) is on its way.
  public var isFillingGap = false
  /// The server returned less than a full page going back: there is nothing older.
  public var reachedStart = false
  /// `LATEST` was asked at least once (the first fetch of a buffer).
  public var hasFetchedLatest = false
  /// The msgid of the oldest entry fetched going back, an event (a join, a reaction) as well
  /// as a message: the next page starts before it. A page of events only (which shows no
  /// line) still moves it, so paging back never asks for the same page twice.
  public var oldestEntry: String?

  public init() {}
}
