import LyceumCore
import Synchronization

/// A `HistoryStore` that forwards to another and counts the appends (groups) and entries the
/// writer commits, for the mean group size.
final class CountingHistoryStore: HistoryStore {
  struct Counts {
    var groups = 0
    var entries = 0
    var largestGroup = 0
  }

  private let base: any HistoryStore
  private let state = Mutex(Counts())

  init(_ base: any HistoryStore) {
    self.base = base
  }

  var counts: Counts { state.withLock { $0 } }

  func append(_ entries: [HistoryEntry]) throws {
    try base.append(entries)
    state.withLock { counts in
      counts.groups += 1
      counts.entries += entries.count
      counts.largestGroup = max(counts.largestGroup, entries.count)
    }
  }

  func entries(_ query: HistoryQuery) throws -> [HistoryEntry] {
    try base.entries(query)
  }

  func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)] {
    try base.activeTargets(among: candidates, from: from, to: to, limit: limit)
  }

  func search(_ query: SearchQuery) throws -> SearchResult {
    try base.search(query)
  }

  func deleteEntries(olderThan cutoff: Int64) throws -> Int {
    try base.deleteEntries(olderThan: cutoff)
  }
}
