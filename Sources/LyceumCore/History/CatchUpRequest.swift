/// What a catch-up replay reads for a session without `draft/chathistory`: the replay on
/// `JOIN`, the channels of a session that joins its account's client, and the unread direct
/// messages of a session that registers logged in.
///
/// For each target it reads the newest `limit` messages before `end` (the request's time, so
/// that nothing sent since is repeated) that are after the target's read marker, and counts
/// the unread ones left out, so that the replay can say how many it skipped.
public struct CatchUpRequest: Sendable, Equatable {
  /// One target to read, and where its reader stopped.
  public struct Target: Sendable, Equatable {
    public var target: HistoryTarget
    /// The read marker (milliseconds): only later messages are read, and the unread ones
    /// left out are counted. Nil: the newest messages, none counted.
    public var readUpTo: Int64?
    /// The most messages replayed for this target, when it differs from the request's
    /// `limit` (the unread announcements of an `announcements` room).
    public var limit: Int?

    public init(target: HistoryTarget, readUpTo: Int64?, limit: Int? = nil) {
      self.target = target
      self.readUpTo = readUpTo
      self.limit = limit
    }
  }

  public var targets: [Target]
  /// Milliseconds: only messages before this time.
  public var end: Int64
  /// The most messages replayed per target (`history.replay-on-join`), unless the target sets
  /// its own.
  public var limit: Int
  /// When set, only the targets with a message after their marker are read, at most this
  /// many, those with the newest activity first (the direct conversations on connect).
  public var activeOnly: Int?

  /// Unread messages are counted up to this many (the count shown is then a lower bound).
  public static let countLimit = 100_000

  public init(targets: [Target], end: Int64, limit: Int, activeOnly: Int? = nil) {
    self.targets = targets
    self.end = end
    self.limit = limit
    self.activeOnly = activeOnly
  }

  /// Reads the request from `store`: the entries of every target in turn, oldest first, and per
  /// target how many unread messages were left out.
  func run(on store: any HistoryStore) throws -> (
    entries: [HistoryEntry], skipped: [HistoryTarget: Int]
  ) {
    var chosen = targets
    if let activeOnly {
      let from = targets.map { ($0.readUpTo ?? -1) + 1 }.min() ?? 0
      let active = try store.activeTargets(
        among: targets.map(\.target), from: from, to: end - 1, limit: targets.count)
      let markers = Dictionary(targets.map { ($0.target, $0.readUpTo) }) { first, _ in first }
      chosen = active.filter { $0.lastMilliseconds > (markers[$0.target] ?? nil) ?? .min }
        .prefix(activeOnly)
        .map { active in
          let asked = targets.first { $0.target == active.target }
          return Target(
            target: active.target, readUpTo: markers[active.target] ?? nil, limit: asked?.limit)
        }
    }
    var entries: [HistoryEntry] = []
    var skipped: [HistoryTarget: Int] = [:]
    for item in chosen {
      let newest = try store.entries(
        HistoryQuery(
          target: item.target, selector: .before(.timestamp(end)), limit: item.limit ?? limit,
          messagesOnly: true))
      guard let marker = item.readUpTo else {
        entries += newest
        continue
      }
      let unread = newest.filter { $0.timeMilliseconds > marker }
      entries += unread
      let total = try store.count(
        HistoryQuery(
          target: item.target, selector: .between(.timestamp(marker), .timestamp(end)),
          limit: Self.countLimit, messagesOnly: true))
      if total > unread.count { skipped[item.target] = total - unread.count }
    }
    return (entries, skipped)
  }
}
