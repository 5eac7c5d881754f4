import LyceumCore
import LyceumProtocol
import Testing

@testable import LyceumStore

/// What every persistent history store (SQLite, PostgreSQL) must do beyond the shared
/// behaviour suite: the same answers as `HistorySelection` for every selector even when the
/// wall clock stepped back, exact time keys across retention and targets, what the server reads
/// at start-up, duplicate msgids, chunked retention.
@Suite struct ServerHistoryStoreTests {
  /// Entries 1…24 in `#lyceum`, every third an event, with times that step back twice (as the
  /// wall clock may) and repeat: msgid order and time order disagree.
  static let jumbled: [HistoryEntry] = {
    let times: [Int64] = [
      1000, 2000, 2000, 3000, 2500, 2600, 4000, 4000, 3900, 5000, 5000, 5000,
      6000, 7000, 6500, 6500, 8000, 9000, 9000, 8500, 10_000, 11_000, 11_000, 12_000,
    ]
    return times.enumerated().map { index, time in
      HistorySample.entry(index + 1, index % 3 == 2 ? "PART" : "NOTICE", time: time)
    }
  }()

  @Test(arguments: StoreKind.persistent)
  func everySelectionMatchesTheReferenceWhenTheClockSteppedBack(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      // Appended in several batches, so that the time keys continue across transactions.
      for chunk in stride(from: 0, to: Self.jumbled.count, by: 5) {
        try store.append(Array(Self.jumbled[chunk..<min(chunk + 5, Self.jumbled.count)]))
      }
      let times: [Int64] = [
        0, 999, 1000, 2000, 2500, 2550, 3000, 3950, 4000, 6500, 8999, 12_000, 99_999,
      ]
      let references: [HistoryReference] =
        Self.jumbled.map { .msgid($0.msgid) } + [.msgid("unknown")] + times.map { .timestamp($0) }
      var selectors: [HistoryQuery.Selector] = [.latest(after: nil)]
      for reference in references {
        selectors += [
          .latest(after: reference), .before(reference), .after(reference), .around(reference),
        ]
      }
      for first in references where first != .msgid("unknown") {
        for second in references.enumerated().filter({ $0.offset % 4 == 0 }).map(\.element) {
          selectors.append(.between(first, second))
        }
      }
      var checked = 0
      for messagesOnly in [false, true] {
        let list = messagesOnly ? Self.jumbled.filter { !$0.isEvent } : Self.jumbled
        for selector in selectors {
          for limit in [0, 1, 2, 3, 5, 100] {
            let expected = HistorySelection.select(selector, limit: limit, in: list)
            let query = HistoryQuery(
              target: HistorySample.channel, selector: selector, limit: limit,
              messagesOnly: messagesOnly)
            let found = try store.entries(query)
            #expect(
              found == expected,
              "\(selector) limit \(limit) messagesOnly \(messagesOnly): \(HistorySample.numbers(found)) ≠ \(HistorySample.numbers(expected))"
            )
            checked += 1
          }
        }
      }
      #expect(checked > 5000)
    }
  }

  @Test(arguments: StoreKind.persistent)
  func timeKeysStayExactAfterRetentionAndAcrossTargets(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      let reference = InMemoryHistoryStore()
      for target in [HistorySample.channel, HistorySample.other] {
        let entries = Self.jumbled.map { entry in
          var copy = entry
          copy.target = target
          return copy
        }
        try store.append(entries)
        try reference.append(entries)
      }
      #expect(try store.deleteEntries(olderThan: 4000) == reference.deleteEntries(olderThan: 4000))
      try store.append([HistorySample.entry(30, time: 3000), HistorySample.entry(31, time: 13_000)])
      try reference.append([
        HistorySample.entry(30, time: 3000), HistorySample.entry(31, time: 13_000),
      ])
      for time: Int64 in [2999, 3000, 4000, 6500, 9000, 13_000] {
        for selector: HistoryQuery.Selector in [
          .before(.timestamp(time)), .after(.timestamp(time)), .around(.timestamp(time)),
        ] {
          for target in [HistorySample.channel, HistorySample.other] {
            let query = HistoryQuery(
              target: target, selector: selector, limit: 6, messagesOnly: false)
            #expect(try store.entries(query) == reference.entries(query), "\(selector)")
          }
        }
      }
    }
  }

  @Test(arguments: StoreKind.persistent) func newestMsgidAndDirectTargets(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      #expect(try store.newestMsgid() == nil)
      #expect(try store.directTargets().isEmpty)
      let direct = HistoryEntry(
        msgid: "zzzzzzzzzzzz0", timeMilliseconds: 1, target: .between("bob", "ada"),
        command: "PRIVMSG", source: "ada!a@h", account: "ada", params: ["bob", "hi"])
      let channel = HistoryEntry(
        msgid: "zzzzzzzzzzzz1", timeMilliseconds: 2, target: .channel("#lab"), command: "PRIVMSG",
        source: "ada!a@h", account: "ada", params: ["#lab", "hi"])
      try store.append([direct, channel])
      #expect(try store.newestMsgid() == "zzzzzzzzzzzz1")
      #expect(try store.directTargets() == [.direct("ada", "bob")])
    }
  }

  @Test(arguments: StoreKind.persistent)
  func aDuplicateMsgidInATargetIsIgnoredNotAFailedBatch(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      try store.append([HistorySample.entry(1), HistorySample.entry(2)])
      try store.append([HistorySample.entry(2, time: 99_000), HistorySample.entry(3)])
      let kept = try store.entries(
        HistoryQuery(
          target: HistorySample.channel, selector: .latest(after: nil), limit: 10,
          messagesOnly: false))
      #expect(kept == [1, 2, 3].map { HistorySample.entry($0) })
      // The ignored row did not raise the time keys: 3 s is still found by its own time.
      #expect(try store.select(.after(.timestamp(2500)), limit: 10) == [3])
    }
  }

  @Test(arguments: StoreKind.persistent) func retentionDeletesInChunks(kind: StoreKind) throws {
    try kind.withServerHistoryStore(deletionChunk: 3) { store in
      try store.append((1...10).map { HistorySample.entry($0) })
      #expect(try store.deleteEntries(olderThan: 7000) == 6)
      #expect(try store.deleteEntries(olderThan: 7000) == 0)
      #expect(try store.select(.latest(after: nil), limit: 100) == [7, 8, 9, 10])
    }
  }
}
