import LyceumProtocol

/// Requests the core makes of the history store, and the store's answers.
///
/// Reading history may touch the disk, so the core never does it on its own queue: it raises
/// `CoreEvent.history` in its outbox, the server runs the read off the core's queue, and feeds
/// the answer back with `IRCServerCore.historyResponse(_:for:)`. Every request names the
/// connection it is for and carries an id the answer must repeat.
public struct HistoryRequest: Sendable, Equatable {
  /// What to read.
  public enum Kind: Sendable, Equatable {
    /// One target's entries (`CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN`), answered with
    /// `HistoryResponse.entries`.
    case entries(HistoryQuery)
    /// The targets among `candidates` with entries between two times, at most `limit` of them
    /// (`CHATHISTORY TARGETS`), answered with `HistoryResponse.targets`. Both bounds are
    /// inclusive here (the command's exclusive bounds, each moved 1 ms inwards); `from > to`
    /// (two equal bounds) finds nothing.
    case targets(candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int)
    /// A catch-up replay (on `JOIN`, on joining one's other session, on connect), answered
    /// with `HistoryResponse.catchUp`; the core splits its entries by `HistoryEntry.target`.
    case catchUp(CatchUpRequest)
    /// A target's threads (`THREADS`), answered with `HistoryResponse.threads`.
    case threads(HistoryTarget, before: HistoryReference?, limit: Int)
    /// One thread's entries (`THREAD`), answered with `HistoryResponse.entries`.
    case threadEntries(root: String, HistoryQuery)
    /// A search (`SEARCH`), answered with `HistoryResponse.found`.
    case search(SearchQuery)
  }

  /// The connection that asked.
  public var connection: ClientID
  /// Unique per core; the answer carries it back.
  public var id: UInt64
  public var kind: Kind

  public init(connection: ClientID, id: UInt64, kind: Kind) {
    self.connection = connection
    self.id = id
    self.kind = kind
  }

  /// Runs the request against `store`; a store error becomes `.failed`, which the client sees
  /// as `FAIL CHATHISTORY MESSAGE_ERROR`.
  public func run(on store: any HistoryStore) -> HistoryResponse {
    do {
      switch kind {
      case .entries(let query):
        return .entries(id, try store.entries(query))
      case .catchUp(let request):
        let (entries, skipped) = try request.run(on: store)
        return .catchUp(id, entries, skipped: skipped)
      case .targets(let candidates, let from, let to, let limit):
        let found = try store.activeTargets(among: candidates, from: from, to: to, limit: limit)
        return .targets(
          id,
          found.map {
            HistoryTargetActivity(target: $0.target, lastMilliseconds: $0.lastMilliseconds)
          })
      case .threads(let target, let before, let limit):
        return .threads(id, try store.threads(in: target, before: before, limit: limit))
      case .threadEntries(let root, let query):
        return .entries(id, try store.threadEntries(root: root, query: query))
      case .search(let query):
        return .found(id, try store.search(query))
      }
    } catch {
      return .failed(id)
    }
  }
}

/// The latest activity of one target, for `CHATHISTORY TARGETS`.
public struct HistoryTargetActivity: Sendable, Hashable {
  public var target: HistoryTarget
  /// Time of the target's newest entry in the asked interval, milliseconds since 1970.
  public var lastMilliseconds: Int64

  public init(target: HistoryTarget, lastMilliseconds: Int64) {
    self.target = target
    self.lastMilliseconds = lastMilliseconds
  }
}

/// The history store's answer to one `HistoryRequest`, by the request's id.
public enum HistoryResponse: Sendable, Equatable {
  /// The selected entries of one target, oldest first.
  case entries(UInt64, [HistoryEntry])
  /// The active targets (in any order; the core sorts them).
  case targets(UInt64, [HistoryTargetActivity])
  /// A target's threads, newest activity first.
  case threads(UInt64, [HistoryThread])
  /// A catch-up replay's entries, target after target, oldest first, and per target how many
  /// unread messages were left out.
  case catchUp(UInt64, [HistoryEntry], skipped: [HistoryTarget: Int])
  /// What a search found.
  case found(UInt64, SearchResult)
  /// The store could not answer (an I/O error, no store configured).
  case failed(UInt64)

  /// The id of the request this answers.
  public var requestID: UInt64 {
    switch self {
    case .entries(let id, _), .targets(let id, _), .threads(let id, _), .catchUp(let id, _, _),
      .found(let id, _),
      .failed(let id):
      id
    }
  }
}

/// A history request a session is waiting for, with what its answer needs to be formatted:
/// further input from that session waits until it is answered, like an account request.
struct PendingHistoryRequest {
  var id: UInt64
  /// The label of the `CHATHISTORY` command, for the answer's `labeled-response` batch.
  var label: String?
  /// The subcommand, upper case, for `FAIL` context.
  var subcommand: String
  /// The target as the `chathistory` batch names it (nil for `TARGETS`).
  var target: String?
  /// For a forwards `TARGETS`: list only this many of the targets with the oldest activity.
  var keepOldest: Int? = nil
  /// For a catch-up replay: the targets, in order; the answer is formatted as marked replay,
  /// not as a `CHATHISTORY` batch.
  var replay: [ReplayTarget]? = nil
  /// Replies of the command held back to go out with the answer, in one labelled batch.
  var heldReplies: [IRCMessage] = []
  /// The command that asked, for `FAIL`: `CHATHISTORY`, `THREADS`, `THREAD`, `SEARCH`.
  var command = "CHATHISTORY"
  /// The type of the batch of an `.entries` answer, and its parameters (default: the target),
  /// which are also the context of a `FAIL … MESSAGE_ERROR` when set.
  var batchType = "chathistory"
  var batchParams: [String]? = nil
}
