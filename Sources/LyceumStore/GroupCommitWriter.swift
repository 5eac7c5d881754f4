import Dispatch
import LyceumCore
import Synchronization

/// Group commit in front of a `HistoryStore`: entries submitted while a transaction is being
/// written wait and go together into the next one, so under load the store commits (and syncs)
/// once per group instead of once per message, and when idle a submission is written at once.
///
/// Each group is one `append` (one transaction) on the writer's serial queue; once it returns,
/// every completion of the group is called, in submission order, on that queue. The server
/// delivers, echoes and acknowledges a kept message from its completion, so what was delivered
/// is in the history.
///
/// Durability is the store's: with `SQLiteHistoryStore` in WAL mode and `synchronous=NORMAL`
/// (the default), a completed group survives a crash or `kill -9` of the process, but the last
/// groups before a power loss or kernel crash may be lost (the WAL is synced at checkpoints,
/// not at each commit). Open the database with `durableAgainstPowerLoss: true`
/// (`synchronous=FULL`) to survive those too, at one `fsync` per group — affordable precisely
/// because groups grow when commits are slow.
///
/// A group is capped at `maxGroupEntries` entries (whole submissions; one larger submission goes
/// alone), so that a burst queued behind a slow commit becomes a few bounded transactions rather
/// than one that holds the write lock for seconds; the rest waits for the next group.
///
/// If `append` throws, `onError` gets the error and the group's completions are still called
/// (exactly once each, with `false`), so that no sender waits forever; the entries of that
/// group are not kept, and the server then withholds the messages among them.
public final class GroupCommitWriter: Sendable {
  private struct Submission {
    var entries: [HistoryEntry]
    var publication: NetworkPublication?
    var completion: @Sendable (Bool) -> Void
  }

  private struct State {
    var pending: [Submission] = []
    /// Whether the queue is writing a group or about to; submissions then only wait.
    var writing = false
  }

  private let store: any HistoryStore
  /// The store's work for quiet moments, if it has any (found once, not at every quiet moment).
  private let idleWork: (any WorkWhenWriterIdle)?
  private let maxGroupEntries: Int
  private let queue: DispatchQueue
  private let onError: @Sendable (any Error) -> Void
  private let state = Mutex(State())

  public init(
    store: any HistoryStore, label: String = "lyceum.history.writer",
    maxGroupEntries: Int = 10_000, onError: @escaping @Sendable (any Error) -> Void
  ) {
    self.store = store
    self.idleWork = store as? any WorkWhenWriterIdle
    self.maxGroupEntries = max(1, maxGroupEntries)
    self.queue = DispatchQueue(label: label)
    self.onError = onError
  }

  /// Queues `entries` for the next group; `completion` runs once they are written (or failed).
  public func submit(_ entries: [HistoryEntry], completion: @escaping @Sendable () -> Void) {
    submit(entries, outcome: { _ in completion() })
  }

  /// Queues `entries` for the next group; `outcome` gets whether they were committed. A
  /// `publication` (events for the other nodes of a network) is committed with them, in the
  /// same transaction, which needs a `NetworkPublishingHistoryStore`.
  public func submit(
    _ entries: [HistoryEntry], publishing publication: NetworkPublication? = nil,
    outcome completion: @escaping @Sendable (Bool) -> Void
  ) {
    let start = state.withLock { state in
      state.pending.append(
        Submission(entries: entries, publication: publication, completion: completion))
      guard !state.writing else { return false }
      state.writing = true
      return true
    }
    if start { queue.async { self.drain() } }
  }

  /// Writes groups until nothing is pending; runs on `queue`.
  private func drain() {
    while true {
      let group = state.withLock { state in
        var count = 0
        var taken = 0
        for submission in state.pending {
          if taken > 0, count + submission.entries.count > maxGroupEntries { break }
          count += submission.entries.count
          taken += 1
        }
        let group = Array(state.pending.prefix(taken))
        state.pending.removeFirst(taken)
        if group.isEmpty { state.writing = false }
        return group
      }
      guard !group.isEmpty else {
        idleWork?.writerIsIdle()
        return
      }
      var committed = true
      do {
        try write(group)
      } catch {
        committed = false
        onError(error)
      }
      for submission in group { submission.completion(committed) }
    }
  }

  /// One transaction for the group: its entries, and its publications in submission order.
  private func write(_ group: [Submission]) throws {
    let entries = group.flatMap(\.entries)
    var publication: NetworkPublication?
    for submission in group {
      guard let next = submission.publication else { continue }
      if publication == nil {
        publication = next
      } else {
        publication?.append(next)
      }
    }
    guard let publication, !publication.isEmpty else {
      try store.append(entries)
      return
    }
    guard let publishing = store as? any NetworkPublishingHistoryStore else {
      throw NetworkPublicationUnsupported()
    }
    try publishing.append(entries, publishing: publication)
  }
}

/// A store with work that can wait for a quiet moment of the writer (the SQLite store's search
/// indexing): `GroupCommitWriter` calls `writerIsIdle` on its queue whenever it has written
/// every group and nothing else waits. Submissions that arrive meanwhile wait for it, so keep
/// each call short.
public protocol WorkWhenWriterIdle: Sendable {
  func writerIsIdle()
}

/// A network publication was submitted to a store that cannot commit one.
public struct NetworkPublicationUnsupported: Error, CustomStringConvertible {
  public init() {}
  public var description: String { "this history store cannot publish network events" }
}
