import Dispatch
import Logging
import LyceumCore
import Testing

@testable import LyceumServer

/// The hub's side of `CHATHISTORY`: reads run off the core's queue and answer on it.
@Suite("CoreHub history reads")
struct CoreHubHistoryTests {
  private func hub(reading store: (any HistoryStore)? = nil) -> CoreHub {
    CoreHub(
      configuration: CoreConfiguration(), clock: ManualClock(),
      logger: Logger(label: "test.history"), services: CoreHub.Services(historyStore: store))
  }

  /// Runs `request` through the hub from its queue; returns the answer and whether it came on
  /// the hub's queue.
  private func run(_ request: HistoryRequest, on hub: CoreHub) async -> (HistoryResponse, Bool) {
    await withCheckedContinuation { continuation in
      hub.queue.async {
        hub.runHistory(request) { response in
          dispatchPrecondition(condition: .onQueue(hub.queue))
          continuation.resume(returning: (response, true))
        }
      }
    }
  }

  private static func entry(_ msgid: String, at time: Int64) -> HistoryEntry {
    HistoryEntry(
      msgid: msgid, timeMilliseconds: time, target: .channel("#a"), command: "PRIVMSG",
      source: "alice!a@h", account: nil, params: ["#a", msgid])
  }

  @Test func readsTheStoreAndAnswersOnTheHubQueue() async throws {
    let store = InMemoryHistoryStore()
    try store.append([Self.entry("m1", at: 1000), Self.entry("m2", at: 2000)])
    let hub = hub(reading: store)
    let query = HistoryQuery(
      target: .channel("#a"), selector: .latest(after: nil), limit: 10, messagesOnly: true)
    let (response, onQueue) = await run(
      HistoryRequest(connection: ClientID(7), id: 3, kind: .entries(query)), on: hub)
    #expect(onQueue)
    #expect(response == .entries(3, [Self.entry("m1", at: 1000), Self.entry("m2", at: 2000)]))

    let (targets, _) = await run(
      HistoryRequest(
        connection: ClientID(7), id: 4,
        kind: .targets(candidates: [.channel("#a"), .channel("#b")], from: 0, to: 5000, limit: 5)),
      on: hub)
    #expect(
      targets
        == .targets(4, [HistoryTargetActivity(target: .channel("#a"), lastMilliseconds: 2000)]))
  }

  @Test func withoutAStoreEveryReadFails() async {
    let query = HistoryQuery(
      target: .channel("#a"), selector: .latest(after: nil), limit: 10, messagesOnly: true)
    let (response, _) = await run(
      HistoryRequest(connection: ClientID(1), id: 9, kind: .entries(query)), on: hub())
    #expect(response == .failed(9))
  }
}
