import LyceumProtocol

/// One `SEARCH` (soju.im/search) as the history store runs it: what to match, where the
/// searcher may look, and how much work it may cost.
///
/// The core fills `scopes` with the targets the searcher may read right now, each with its
/// history floor (see `IRCServerCore.historyFloor(_:)`), so the store never returns what
/// `CHATHISTORY` would not show; the store checks every row against them.
public struct SearchQuery: Sendable, Equatable {
  /// The text to match (parsed, see `SearchText`); nil matches every message.
  public var terms: [SearchTerm]?
  /// The targets to look in, with the time before which each shows nothing.
  public var scopes: [SearchScope]
  /// Only messages sent with this nick (folded with `caseMapping`) or by this account.
  public var from: String?
  /// Only messages at or after this time (milliseconds since 1970).
  public var after: Int64?
  /// Only messages at or before this time.
  public var before: Int64?
  /// Only the root and the replies of the thread whose root has this msgid (Lyceum addition).
  public var threadRoot: String?
  /// Continue below this position (the `lyceum.chat/cursor` of a previous answer).
  public var cursor: Int64?
  /// The most results.
  public var limit: Int
  /// The most candidate rows examined before the store stops and answers with what it found.
  public var scanBudget: Int
  /// The longest the store searches before it answers with what it found.
  public var timeBudget: Duration
  /// How nicks are folded, for `from`.
  public var caseMapping: CaseMapping

  public init(
    terms: [SearchTerm]?, scopes: [SearchScope], from: String? = nil, after: Int64? = nil,
    before: Int64? = nil, threadRoot: String? = nil, cursor: Int64? = nil, limit: Int,
    scanBudget: Int = 100_000, timeBudget: Duration = .seconds(2),
    caseMapping: CaseMapping = .rfc1459
  ) {
    self.terms = terms
    self.scopes = scopes
    self.from = from
    self.after = after
    self.before = before
    self.threadRoot = threadRoot
    self.cursor = cursor
    self.limit = limit
    self.scanBudget = scanBudget
    self.timeBudget = timeBudget
    self.caseMapping = caseMapping
  }

  /// Whether `entry` (a kept `PRIVMSG` or `NOTICE` of one of `scopes`) passes every filter
  /// but the text: its target is in scope and at or after the target's floor, its time within
  /// `after`/`before`, its sender `from`, its thread `threadRoot`. `threadOf` is the entry's
  /// thread root as the store resolved it (nil when it is in no thread).
  public func admits(_ entry: HistoryEntry, threadOf: String?, floors: [HistoryTarget: Int64])
    -> Bool
  {
    guard !entry.isEvent, entry.command != "TAGMSG",
      let floor = floors[entry.target], entry.timeMilliseconds >= floor
    else { return false }
    if let after, entry.timeMilliseconds < after { return false }
    if let before, entry.timeMilliseconds > before { return false }
    if let threadRoot, entry.msgid != threadRoot, threadOf != threadRoot { return false }
    if let from {
      let nick = caseMapping.fold(String(entry.source.prefix { $0 != "!" }))
      guard nick == from || entry.account.map(caseMapping.fold) == from else { return false }
    }
    return true
  }

  /// `scopes` as a look-up from target to floor.
  public var floors: [HistoryTarget: Int64] {
    Dictionary(scopes.map { ($0.target, $0.floor) }, uniquingKeysWith: max)
  }
}

/// A target a search may look in, and the time before which it shows nothing.
public struct SearchScope: Sendable, Hashable {
  public var target: HistoryTarget
  /// Milliseconds since 1970; earlier entries are not shown to anyone over IRC.
  public var floor: Int64

  public init(target: HistoryTarget, floor: Int64) {
    self.target = target
    self.floor = floor
  }
}

/// What a search found: the matches, newest first, and where to continue.
public struct SearchResult: Sendable, Equatable {
  /// The matching entries, newest first.
  public var entries: [HistoryEntry]
  /// Set when there may be more (older) matches: the `lyceum.chat/cursor` to continue with.
  public var next: Int64?
  /// Whether the store stopped because of its row or time budget rather than the limit.
  public var budgetExhausted: Bool

  public init(entries: [HistoryEntry], next: Int64?, budgetExhausted: Bool) {
    self.entries = entries
    self.next = next
    self.budgetExhausted = budgetExhausted
  }
}
