import LyceumCore
import Testing

@testable import LyceumServer

/// `history.retention`: entries older than the period go, newer ones stay, and no period
/// keeps everything.
@Suite struct HistoryRetentionTests {
  private func entry(_ id: String, at milliseconds: Int64) -> HistoryEntry {
    HistoryEntry(
      msgid: id, timeMilliseconds: milliseconds, target: .channel("#lab"), command: "PRIVMSG",
      source: "ada!a@h", account: nil, params: ["#lab", id])
  }

  @Test func sweepDeletesOnlyWhatIsOlderThanTheRetention() throws {
    let store = InMemoryHistoryStore()
    let day: Int64 = 86_400_000
    try store.append([entry("a", at: 0), entry("b", at: 5 * day), entry("c", at: 9 * day)])
    let retention = HistoryRetention(store: store, retention: .seconds(7 * 86_400))
    #expect(retention.cutoff(nowMilliseconds: 10 * day) == 3 * day)
    #expect(try retention.sweep(nowMilliseconds: 10 * day) == 1)
    let left = try store.entries(
      HistoryQuery(
        target: .channel("#lab"), selector: .latest(after: nil), limit: 10, messagesOnly: false))
    #expect(left.map(\.msgid) == ["b", "c"])
  }

  @Test func noRetentionKeepsEverything() throws {
    let store = InMemoryHistoryStore()
    try store.append([entry("a", at: 0)])
    let forever = HistoryRetention(store: store, retention: nil)
    #expect(forever.cutoff(nowMilliseconds: 1 << 50) == nil)
    #expect(try forever.sweep(nowMilliseconds: 1 << 50) == 0)
  }
}
