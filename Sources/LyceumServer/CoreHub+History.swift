import Dispatch
import LyceumCore

/// Where the hub reads history: the store, and a concurrent queue for the reads.
///
final class HistoryReader: Sendable {
  /// Fixed when the hub is made; nil when history is off.
  let store: (any HistoryStore)?
  /// Concurrent: reads never wait for each other, nor block delivery on the core's queue.
  let queue = DispatchQueue(label: "lyceum.history.read", attributes: .concurrent)

  init(store: (any HistoryStore)?) {
    self.store = store
  }
}

/// `CHATHISTORY` reads: the core raises `CoreEvent.history`; the hub runs it against the
/// store off the core's queue and feeds the answer back on it.
extension CoreHub {
  /// The history the hub reads from; nil answers every request with
  /// `FAIL CHATHISTORY MESSAGE_ERROR` (history enabled but no store wired).
  var historyStore: (any HistoryStore)? { historyReader.store }

  /// Runs `request` on the read queue, then `answer` with the response on the hub's queue.
  /// Called on the hub's queue (from `flush`); `answer` always runs later, never inside it.
  func runHistory(
    _ request: HistoryRequest, answer: @escaping @Sendable (HistoryResponse) -> Void
  ) {
    let hubQueue = queue
    guard let store = historyStore else {
      hubQueue.async { answer(.failed(request.id)) }
      return
    }
    historyReader.queue.async {
      let response = request.run(on: store)
      hubQueue.async { answer(response) }
    }
  }
}
