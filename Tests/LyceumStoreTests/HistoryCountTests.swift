import LyceumCore
import LyceumProtocol
import Testing

/// `HistoryStore.count`: the SQLite store counts in its index exactly what the in-memory
/// reference selects, within the query's limit (the unread count of a catch-up replay).
@Suite struct HistoryCountTests {
  @Test(arguments: StoreKind.allCases) func countMatchesTheSelection(kind: StoreKind) throws {
    try kind.withHistoryStore { (store: any HistoryStore) throws in
      try store.append(HistorySample.channelEntries)
      let selectors: [HistoryQuery.Selector] = [
        .between(.timestamp(3000), .timestamp(9000)),
        .between(.timestamp(9000), .timestamp(3000)),
        .between(.timestamp(0), .timestamp(100_000)),
        .between(.timestamp(10_000), .timestamp(20_000)),
        .between(.msgid("m02"), .msgid("m08")),
        .between(.msgid("nope"), .msgid("m08")),
        .before(.timestamp(6000)),
      ]
      for selector in selectors {
        for messagesOnly in [false, true] {
          for limit in [0, 2, 100] {
            let query = HistoryQuery(
              target: HistorySample.channel, selector: selector, limit: limit,
              messagesOnly: messagesOnly)
            #expect(
              try store.count(query) == (try store.entries(query)).count,
              "\(selector) messagesOnly \(messagesOnly) limit \(limit)")
          }
        }
      }
      // Entries after 3 s and before 9 s: 4…8, of which 4 and 7 are events.
      let unread = HistoryQuery(
        target: HistorySample.channel, selector: .between(.timestamp(3000), .timestamp(9000)),
        limit: 100, messagesOnly: true)
      #expect(try store.count(unread) == 3)
    }
  }
}
