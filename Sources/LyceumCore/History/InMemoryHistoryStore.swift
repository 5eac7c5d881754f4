/// A `HistoryStore` in memory, for tests and as the reference for the selection rules the
/// SQLite store must follow.
///
/// Entries of a target are kept in the order they were appended, which is msgid order (the
/// server's msgids increase). A reference splits that order: a msgid at its entry, a timestamp
/// between the entries before it and those at or after it. `@unchecked Sendable`: every access
/// holds `lock`.
public final class InMemoryHistoryStore: HistoryStore, @unchecked Sendable {
  private let lock = SimpleLock()
  private var byTarget: [HistoryTarget: [HistoryEntry]] = [:]
  /// Per target, the thread of every kept message: its root's msgid (its own for a message that
  /// is no reply). Only messages are here: a reply to an event or an unknown msgid starts none.
  private var messageThreads: [HistoryTarget: [String: String]] = [:]
  /// Per target, the root of every reply (messages and events) that belongs to a thread.
  private var replyRoots: [HistoryTarget: [String: String]] = [:]
  /// Every kept `PRIVMSG` and `NOTICE` in the order kept, with its position (which a search's
  /// cursor names) and its thread root, for `search(_:)`.
  private var searchLog: [(position: Int64, entry: HistoryEntry, thread: String?)] = []
  private var lastSearchPosition: Int64 = 0

  public init() {}

  public func append(_ entries: [HistoryEntry]) throws {
    lock.locked {
      for entry in entries {
        if entry.command == "REDACT", entry.params.count >= 2 {
          // The redacted message is erased (as the SQLite store does).
          let gone = { (kept: HistoryEntry) in
            kept.msgid == entry.params[1] && kept.target == entry.target
              && ["PRIVMSG", "NOTICE", "TAGMSG"].contains(kept.command)
          }
          byTarget[entry.target]?.removeAll(where: gone)
          searchLog.removeAll { gone($0.entry) }
        }
        byTarget[entry.target, default: []].append(entry)
        let root = entry.replyTo.flatMap { messageThreads[entry.target]?[$0] }
        if let root { replyRoots[entry.target, default: [:]][entry.msgid] = root }
        if !entry.isEvent {
          messageThreads[entry.target, default: [:]][entry.msgid] = root ?? entry.msgid
          lastSearchPosition += 1
          searchLog.append((lastSearchPosition, entry, root))
        }
      }
    }
  }

  public func entries(_ query: HistoryQuery) throws -> [HistoryEntry] {
    let all = lock.locked { byTarget[query.target] ?? [] }
    let list = query.messagesOnly ? all.filter { !$0.isEvent } : all
    return HistorySelection.select(query.selector, limit: query.limit, in: list)
  }

  public func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)] {
    let found: [(target: HistoryTarget, lastMilliseconds: Int64)] = lock.locked {
      candidates.compactMap { target in
        guard
          let last = byTarget[target]?.last(where: {
            $0.timeMilliseconds >= from && $0.timeMilliseconds <= to
          })
        else { return nil }
        return (target, last.timeMilliseconds)
      }
    }
    return Array(found.sorted { $0.lastMilliseconds > $1.lastMilliseconds }.prefix(limit))
  }

  public func deleteEntries(olderThan cutoff: Int64) throws -> Int {
    lock.locked {
      var removed = 0
      for (target, list) in byTarget {
        let kept = list.filter { $0.timeMilliseconds >= cutoff }
        removed += list.count - kept.count
        byTarget[target] = kept
        searchLog.removeAll { $0.entry.timeMilliseconds < cutoff }
        for entry in list where entry.timeMilliseconds < cutoff {
          messageThreads[target]?[entry.msgid] = nil
          replyRoots[target]?[entry.msgid] = nil
        }
      }
      return removed
    }
  }
}

extension InMemoryHistoryStore {
  public func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  {
    let (all, roots) = lock.locked { (byTarget[target] ?? [], replyRoots[target] ?? [:]) }
    var replies: [String: [HistoryEntry]] = [:]
    for entry in all where !entry.isEvent {
      if let root = roots[entry.msgid] { replies[root, default: []].append(entry) }
    }
    var threads: [HistoryThread] = []
    for entry in all where !entry.isEvent {
      guard let list = replies[entry.msgid], let last = list.last else { continue }
      var participants: [String] = []
      for author in [entry] + list {
        let name = HistoryThreading.participant(of: author)
        if !participants.contains(name) { participants.append(name) }
      }
      threads.append(
        HistoryThread(
          root: entry, replyCount: list.count, lastMilliseconds: last.timeMilliseconds,
          participants: Array(participants.prefix(HistoryThreading.participantCap)),
          participantCount: participants.count))
    }
    threads.sort(by: HistoryThreading.listingOrder)
    var cursor: (lastMilliseconds: Int64, root: String)? = nil
    if case .msgid(let id) = before, let last = replies[id]?.last {
      cursor = (last.timeMilliseconds, id)
    }
    let listed = threads.filter {
      HistoryThreading.isListed(
        ($0.lastMilliseconds, $0.root.msgid), after: before, cursor: cursor)
    }
    return Array(listed.prefix(max(0, limit)))
  }

  /// The reference search: a scan of every kept message, newest first, with
  /// `SearchText.matches` (whole words without case; no diacritic folding, unlike SQLite).
  /// As in the SQLite store, the row budget counts candidates: messages of the scopes that
  /// match the text (all messages of the scopes when there is none).
  public func search(_ query: SearchQuery) throws -> SearchResult {
    let log = lock.locked { searchLog }
    let floors = query.floors
    var found: [HistoryEntry] = []
    var scanned = 0
    for (position, entry, thread) in log.reversed() {
      if let cursor = query.cursor, position >= cursor { continue }
      guard floors[entry.target] != nil else { continue }
      if let terms = query.terms, !SearchText.matches(entry.params.last ?? "", terms) {
        continue
      }
      if found.count == query.limit || scanned == query.scanBudget {
        return SearchResult(
          entries: found, next: position + 1, budgetExhausted: found.count < query.limit)
      }
      scanned += 1
      if query.admits(entry, threadOf: thread, floors: floors) { found.append(entry) }
    }
    return SearchResult(entries: found, next: nil, budgetExhausted: false)
  }

  public func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry] {
    let (all, roots) = lock.locked {
      (byTarget[query.target] ?? [], replyRoots[query.target] ?? [:])
    }
    let root = roots[root] ?? root
    let thread = all.filter {
      ($0.msgid == root && !$0.isEvent) || roots[$0.msgid] == root
    }
    let list = query.messagesOnly ? thread.filter { !$0.isEvent } : thread
    return HistorySelection.select(query.selector, limit: query.limit, in: list)
  }
}

/// The `CHATHISTORY` selection rules over one target's entries in msgid order, shared by the
/// in-memory store and the SQLite store's tests.
public enum HistorySelection {
  public static func select(
    _ selector: HistoryQuery.Selector, limit: Int, in list: [HistoryEntry]
  ) -> [HistoryEntry] {
    guard limit > 0 else { return [] }
    switch selector {
    case .latest(nil):
      return Array(list.suffix(limit))
    case .latest(.some(let reference)):
      guard let start = index(after: reference, in: list) else { return [] }
      return Array(list[start...].suffix(limit))
    case .before(let reference):
      guard let end = index(before: reference, in: list) else { return [] }
      return Array(list[..<end].suffix(limit))
    case .after(let reference):
      guard let start = index(after: reference, in: list) else { return [] }
      return Array(list[start...].prefix(limit))
    case .around(let reference):
      guard let middle = index(before: reference, in: list) else { return [] }
      let before = list[..<middle].suffix(limit / 2)
      let after = list[middle...].prefix(limit - before.count)
      return Array(before) + Array(after)
    case .between(let first, let second):
      guard let a = index(after: first, in: list), let b = index(before: second, in: list),
        let c = index(before: first, in: list), let d = index(after: second, in: list)
      else { return [] }
      if order(first, second, in: list) {
        return a < b ? Array(list[a..<b].prefix(limit)) : []
      }
      return d < c ? Array(list[d..<c].suffix(limit)) : []
    }
  }

  /// The index of the first entry after the reference (exclusive); nil for an unknown msgid.
  static func index(after reference: HistoryReference, in list: [HistoryEntry]) -> Int? {
    switch reference {
    case .msgid(let id):
      return list.firstIndex { $0.msgid == id }.map { $0 + 1 }
    case .timestamp(let time):
      return list.firstIndex { $0.timeMilliseconds > time } ?? list.count
    }
  }

  /// The index of the reference itself (for a msgid) or of the first entry at or after the
  /// time: everything before it is "before"; nil for an unknown msgid.
  static func index(before reference: HistoryReference, in list: [HistoryEntry]) -> Int? {
    switch reference {
    case .msgid(let id):
      return list.firstIndex { $0.msgid == id }
    case .timestamp(let time):
      return list.firstIndex { $0.timeMilliseconds >= time } ?? list.count
    }
  }

  /// Whether `first` comes no later than `second`.
  static func order(_ first: HistoryReference, _ second: HistoryReference, in list: [HistoryEntry])
    -> Bool
  {
    (index(before: first, in: list) ?? 0) <= (index(before: second, in: list) ?? 0)
  }
}
