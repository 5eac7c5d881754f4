import LyceumCore
import LyceumProtocol
import Testing

/// The `HistoryStore` contract, run against every implementation: the SQLite store must select
/// exactly what the in-memory reference selects. `#lyceum` holds entries 1…10 at 1…10 s, of
/// which 4 and 7 are events.
@Suite struct HistoryStoreBehaviourTests {
  func withSample(_ kind: StoreKind, _ body: (any HistoryStore) throws -> Void) throws {
    try kind.withHistoryStore { (store: any HistoryStore) throws in
      try store.append(HistorySample.channelEntries)
      try body(store)
    }
  }

  @Test(arguments: StoreKind.allCases) func latestWithLimitsZeroOneAndLarge(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.select(.latest(after: nil), limit: 3) == [8, 9, 10])
      #expect(try store.select(.latest(after: nil), limit: 0) == [])
      #expect(try store.select(.latest(after: nil), limit: 1) == [10])
      #expect(try store.select(.latest(after: nil), limit: 1000) == Array(1...10))
      #expect(try store.select(.latest(after: nil), limit: Int.max) == Array(1...10))
    }
  }

  @Test(arguments: StoreKind.allCases) func latestAfterAReference(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.select(.latest(after: .msgid("m05")), limit: 100) == [6, 7, 8, 9, 10])
      #expect(try store.select(.latest(after: .msgid("m05")), limit: 2) == [9, 10])
      #expect(try store.select(.latest(after: .msgid("m10")), limit: 5) == [])
      #expect(try store.select(.latest(after: .timestamp(5000)), limit: 100) == [6, 7, 8, 9, 10])
      #expect(try store.select(.latest(after: .timestamp(5500)), limit: 100) == [6, 7, 8, 9, 10])
      #expect(try store.select(.latest(after: .timestamp(10_000)), limit: 100) == [])
      #expect(try store.select(.latest(after: .timestamp(0)), limit: 2) == [9, 10])
    }
  }

  @Test(arguments: StoreKind.allCases) func beforeAMsgidOrATime(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.select(.before(.msgid("m05")), limit: 2) == [3, 4])
      #expect(try store.select(.before(.msgid("m05")), limit: 100) == [1, 2, 3, 4])
      #expect(try store.select(.before(.msgid("m01")), limit: 100) == [])
      #expect(try store.select(.before(.timestamp(5000)), limit: 100) == [1, 2, 3, 4])
      #expect(try store.select(.before(.timestamp(5001)), limit: 100) == [1, 2, 3, 4, 5])
      #expect(try store.select(.before(.timestamp(0)), limit: 100) == [])
      #expect(try store.select(.before(.timestamp(99_999)), limit: 3) == [8, 9, 10])
    }
  }

  @Test(arguments: StoreKind.allCases) func afterAMsgidOrATime(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.select(.after(.msgid("m05")), limit: 2) == [6, 7])
      #expect(try store.select(.after(.msgid("m10")), limit: 2) == [])
      #expect(try store.select(.after(.timestamp(5000)), limit: 2) == [6, 7])
      #expect(try store.select(.after(.timestamp(4999)), limit: 2) == [5, 6])
      #expect(try store.select(.after(.timestamp(0)), limit: 3) == [1, 2, 3])
      #expect(try store.select(.after(.timestamp(99_999)), limit: 3) == [])
    }
  }

  @Test(arguments: StoreKind.allCases) func aroundInTheMiddleAndAtBothEnds(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.select(.around(.msgid("m05")), limit: 4) == [3, 4, 5, 6])
      #expect(try store.select(.around(.msgid("m05")), limit: 5) == [3, 4, 5, 6, 7])
      #expect(try store.select(.around(.msgid("m05")), limit: 1) == [5])
      #expect(try store.select(.around(.msgid("m01")), limit: 4) == [1, 2, 3, 4])
      #expect(try store.select(.around(.msgid("m10")), limit: 4) == [8, 9, 10])
      #expect(try store.select(.around(.timestamp(5500)), limit: 4) == [4, 5, 6, 7])
      #expect(try store.select(.around(.timestamp(0)), limit: 4) == [1, 2, 3, 4])
      #expect(try store.select(.around(.timestamp(99_999)), limit: 4) == [9, 10])
    }
  }

  @Test(arguments: StoreKind.allCases) func betweenInBothDirections(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      let forward = HistoryQuery.Selector.between(.msgid("m02"), .msgid("m06"))
      #expect(try store.select(forward, limit: 100) == [3, 4, 5])
      #expect(try store.select(forward, limit: 2) == [3, 4])
      let backward = HistoryQuery.Selector.between(.msgid("m06"), .msgid("m02"))
      #expect(try store.select(backward, limit: 100) == [3, 4, 5])
      #expect(try store.select(backward, limit: 2) == [4, 5])
      let times = HistoryQuery.Selector.between(.timestamp(2000), .timestamp(6000))
      #expect(try store.select(times, limit: 100) == [3, 4, 5])
      let mixed = HistoryQuery.Selector.between(.timestamp(6000), .msgid("m02"))
      #expect(try store.select(mixed, limit: 2) == [4, 5])
      let everything = HistoryQuery.Selector.between(.timestamp(0), .timestamp(99_999))
      #expect(try store.select(everything, limit: 100) == Array(1...10))
      #expect(try store.select(.between(.msgid("m05"), .msgid("m05")), limit: 100) == [])
      #expect(try store.select(.between(.msgid("m05"), .msgid("m06")), limit: 100) == [])
      #expect(try store.select(.between(.msgid("m06"), .msgid("m05")), limit: 100) == [])
      #expect(try store.select(forward, limit: 0) == [])
    }
  }

  @Test(arguments: StoreKind.allCases) func anUnknownMsgidSelectsNothing(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      let unknown = HistoryReference.msgid("nope")
      let known = HistoryReference.msgid("m05")
      for selector: HistoryQuery.Selector in [
        .latest(after: unknown), .before(unknown), .after(unknown), .around(unknown),
        .between(unknown, known), .between(known, unknown),
      ] {
        #expect(try store.select(selector, limit: 100) == [], "\(selector)")
      }
    }
  }

  @Test(arguments: StoreKind.allCases) func messagesOnlyLeavesOutEvents(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(
        try store.select(.latest(after: nil), limit: 5, messagesOnly: true) == [5, 6, 8, 9, 10])
      #expect(try store.select(.before(.msgid("m05")), limit: 2, messagesOnly: true) == [2, 3])
      #expect(try store.select(.after(.msgid("m05")), limit: 2, messagesOnly: true) == [6, 8])
      #expect(try store.select(.around(.timestamp(7000)), limit: 2, messagesOnly: true) == [6, 8])
      #expect(
        try store.select(.between(.timestamp(0), .timestamp(8000)), limit: 9, messagesOnly: true)
          == [1, 2, 3, 5, 6])
      // An event is not in the list a messages-only reference sees: unknown there.
      #expect(try store.select(.before(.msgid("m04")), limit: 2, messagesOnly: true) == [])
      #expect(try store.select(.before(.msgid("m04")), limit: 2) == [2, 3])
    }
  }

  @Test(arguments: StoreKind.allCases) func channelsAndDirectMessagesAreSeparate(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      // The same msgids in other targets (a QUIT is kept once per channel under one msgid).
      try store.append((1...3).map { HistorySample.entry($0, target: HistorySample.other) })
      try store.append([
        HistorySample.entry(2, target: HistorySample.direct),
        HistorySample.entry(11, target: .between("alice", "carol")),
      ])
      #expect(
        try store.select(.latest(after: nil), limit: 100, in: HistorySample.other) == [1, 2, 3])
      let direct = HistoryTarget.between("alice", "bob")
      #expect(try store.select(.latest(after: nil), limit: 100, in: direct) == [2])
      #expect(try store.select(.after(.msgid("m01")), limit: 100, in: direct) == [])
      #expect(try store.select(.latest(after: nil), limit: 100, in: .channel("#none")) == [])
      #expect(try store.select(.latest(after: nil), limit: 3) == [8, 9, 10])
      let read = try store.entries(
        HistoryQuery(target: direct, selector: .latest(after: nil), limit: 1, messagesOnly: false))
      #expect(read == [HistorySample.entry(2, target: HistorySample.direct)])
      #expect(read.first?.target == .direct("alice", "bob"))
    }
  }

  @Test(arguments: StoreKind.allCases) func activeTargetsNewestFirstWithinTheWindow(
    kind: StoreKind
  ) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      try store.append([
        HistorySample.entry(1, target: HistorySample.other, time: 500),
        HistorySample.entry(2, target: HistorySample.other, time: 12_000),
        HistorySample.entry(1, target: HistorySample.direct, time: 6_500),
      ])
      let candidates = [
        HistorySample.channel, HistorySample.other, HistorySample.direct, .channel("#empty"),
      ]
      func active(_ from: Int64, _ to: Int64, _ limit: Int) throws -> [String] {
        try store.activeTargets(among: candidates, from: from, to: to, limit: limit)
          .map { "\($0.target.key)=\($0.lastMilliseconds)" }
      }
      #expect(try active(0, 99_999, 10) == ["#other=12000", "#lyceum=10000", "@alice:bob=6500"])
      #expect(try active(0, 99_999, 2) == ["#other=12000", "#lyceum=10000"])
      #expect(try active(0, 7000, 10) == ["#lyceum=7000", "@alice:bob=6500", "#other=500"])
      #expect(try active(7001, 7999, 10) == [])
      #expect(try active(0, 99_999, 0) == [])
      #expect(
        try store.activeTargets(among: [HistorySample.other], from: 0, to: 99_999, limit: 5)
          .map(\.target) == [HistorySample.other])
    }
  }

  @Test(arguments: StoreKind.allCases) func deleteEntriesOlderThanACutoff(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      try store.append([HistorySample.entry(1, target: HistorySample.other, time: 500)])
      #expect(try store.deleteEntries(olderThan: 3500) == 4)
      #expect(try store.select(.latest(after: nil), limit: 100) == Array(4...10))
      #expect(try store.select(.latest(after: nil), limit: 100, in: HistorySample.other) == [])
      #expect(try store.select(.before(.msgid("m02")), limit: 100) == [])
      #expect(try store.deleteEntries(olderThan: 3500) == 0)
      #expect(try store.deleteEntries(olderThan: 99_999) == 7)
      #expect(try store.select(.latest(after: nil), limit: 100) == [])
      try store.append([HistorySample.entry(20)])
      #expect(try store.select(.latest(after: nil), limit: 100) == [20])
    }
  }

  @Test(arguments: StoreKind.allCases) func tagsAndParamsRoundTripExactly(kind: StoreKind) throws {
    try kind.withHistoryStore { (store: any HistoryStore) throws in
      let awkward = HistoryEntry(
        msgid: "01jz8q4x7k2m0", timeMilliseconds: 1_700_000_000_123, target: HistorySample.channel,
        command: "PRIVMSG", source: "ædä!~a@[::1]", account: "Ædä",
        clientTags: [
          IRCTag("+draft/reply", "01jz8q4x7k2m0"), IRCTag("+typing"), IRCTag("+empty", ""),
          IRCTag("+x", "a b;c\\d:e\r\n= \\s"), IRCTag("+emoji", "🎓 ünïcödé 日本"),
        ],
        params: ["#lyceum", "", ":colon first", "a b  c ", "12:fake", "日本語 ✓ 🎓", "3:", ";", ""],
        replyTo: "01jz8q4x7k2m0")
      let bare = HistoryEntry(
        msgid: "01jz8q4x7k2m1", timeMilliseconds: 1_700_000_000_124, target: HistorySample.channel,
        command: "TAGMSG", source: "bob!b@h", account: nil, params: [])
      try store.append([awkward, bare])
      let read = try store.entries(
        HistoryQuery(
          target: HistorySample.channel, selector: .latest(after: nil), limit: 10,
          messagesOnly: false))
      #expect(read == [awkward, bare])
    }
  }

  @Test(arguments: StoreKind.allCases) func appendingNothingChangesNothing(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      try store.append([])
      #expect(try store.select(.latest(after: nil), limit: 100) == Array(1...10))
    }
  }
}
