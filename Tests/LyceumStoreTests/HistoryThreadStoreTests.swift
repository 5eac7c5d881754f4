import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// Threads against both stores. `#lyceum`, entry `n` at `n` seconds:
///
///  1 ada: root of thread A         6 TAGMSG +reply=m01 (an event in thread A)
///  2 bob: root of thread B         7 JOIN (an event)
///  3 bob (no account) +reply=m01   8 +reply=m07: an event is no root, no thread
///  4 Carol +reply=m03 → thread A   9 +reply=unknown: no thread
///  5 ada +reply=m02 → thread B    10 dan +reply=m05 → thread B
///
/// and `#other` 11 replying to m01 of `#lyceum` (another room: no thread).
@Suite struct HistoryThreadStoreTests {
  static func entry(
    _ n: Int, _ command: String = "PRIVMSG", by nick: String = "ada", account: String? = "Ada",
    replyTo: String? = nil, target: HistoryTarget = HistorySample.channel
  ) -> HistoryEntry {
    var entry = HistorySample.entry(n, command, target: target)
    entry.source = "\(nick)!\(nick)@uu.se"
    entry.account = account
    entry.replyTo = replyTo
    if command == "TAGMSG" { entry.params = [target.key] }
    return entry
  }

  static let sample: [HistoryEntry] = [
    entry(1),
    entry(2, by: "bob", account: nil),
    entry(3, by: "bob", account: nil, replyTo: "m01"),
    entry(4, by: "carol", account: "Carol", replyTo: "m03"),
    entry(5, replyTo: "m02"),
    entry(6, "TAGMSG", by: "erin", account: "Erin", replyTo: "m01"),
    entry(7, "JOIN", by: "dan", account: nil),
    entry(8, by: "dan", account: nil, replyTo: "m07"),
    entry(9, by: "dan", account: nil, replyTo: "unknown"),
    entry(10, by: "dan", account: nil, replyTo: "m05"),
    entry(11, by: "bob", account: nil, replyTo: "m01", target: HistorySample.other),
  ]

  func withSample(_ kind: StoreKind, _ body: (any HistoryStore) throws -> Void) throws {
    try kind.withHistoryStore { (store: any HistoryStore) throws in
      // Two batches: a reply finds its parent in the same batch and in an earlier one.
      try store.append(Array(Self.sample[..<4]))
      try store.append(Array(Self.sample[4...]))
      try body(store)
    }
  }

  func roots(_ threads: [HistoryThread]) -> [Int] { HistorySample.numbers(threads.map(\.root)) }

  func thread(
    _ store: any HistoryStore, _ root: String,
    _ selector: HistoryQuery.Selector = .latest(after: nil),
    limit: Int = 100, messagesOnly: Bool = false
  ) throws -> [Int] {
    HistorySample.numbers(
      try store.threadEntries(
        root: root,
        query: HistoryQuery(
          target: HistorySample.channel, selector: selector, limit: limit,
          messagesOnly: messagesOnly)))
  }

  @Test(arguments: StoreKind.allCases) func listsThreadsNewestActivityFirst(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      let threads = try store.threads(in: HistorySample.channel, before: nil, limit: 10)
      #expect(roots(threads) == [2, 1])
      #expect(threads.map(\.replyCount) == [2, 2])
      #expect(threads.map(\.lastMilliseconds) == [10_000, 4000])
      #expect(threads.map(\.participants) == [["bob", "Ada", "dan"], ["Ada", "bob", "Carol"]])
      #expect(threads.map(\.participantCount) == [3, 3])
      #expect(threads[0].root == Self.sample[1])
      #expect(try store.threads(in: HistorySample.other, before: nil, limit: 10).isEmpty)
    }
  }

  @Test(arguments: StoreKind.allCases) func pagesByTimeAndByRoot(kind: StoreKind) throws {
    try withSample(kind) { (store: any HistoryStore) throws in
      let channel = HistorySample.channel
      #expect(roots(try store.threads(in: channel, before: nil, limit: 1)) == [2])
      #expect(roots(try store.threads(in: channel, before: nil, limit: 0)) == [])
      #expect(roots(try store.threads(in: channel, before: .msgid("m02"), limit: 5)) == [1])
      #expect(roots(try store.threads(in: channel, before: .msgid("m01"), limit: 5)) == [])
      #expect(roots(try store.threads(in: channel, before: .msgid("m03"), limit: 5)) == [])
      #expect(roots(try store.threads(in: channel, before: .msgid("nope"), limit: 5)) == [])
      #expect(
        roots(try store.threads(in: channel, before: .timestamp(10_001), limit: 5)) == [2, 1])
      #expect(roots(try store.threads(in: channel, before: .timestamp(10_000), limit: 5)) == [1])
      #expect(roots(try store.threads(in: channel, before: .timestamp(4000), limit: 5)) == [])
    }
  }

  @Test(arguments: StoreKind.allCases) func tiesInActivityAreOrderedByRoot(kind: StoreKind) throws {
    try kind.withHistoryStore { (store: any HistoryStore) throws in
      try store.append([
        Self.entry(1), Self.entry(2), Self.entry(3, replyTo: "m01"),
        {
          var e = Self.entry(4, replyTo: "m02")
          e.timeMilliseconds = 3000
          return e
        }(),
      ])
      let channel = HistorySample.channel
      #expect(roots(try store.threads(in: channel, before: nil, limit: 5)) == [2, 1])
      #expect(roots(try store.threads(in: channel, before: .msgid("m02"), limit: 5)) == [1])
    }
  }

  @Test(arguments: StoreKind.allCases) func oneThreadsEntriesWithEveryReference(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try thread(store, "m01") == [1, 3, 4, 6])
      #expect(try thread(store, "m01", messagesOnly: true) == [1, 3, 4])
      #expect(try thread(store, "m01", limit: 2) == [4, 6])
      #expect(try thread(store, "m01", .before(.msgid("m04"))) == [1, 3])
      #expect(try thread(store, "m01", .after(.timestamp(1000))) == [3, 4, 6])
      #expect(try thread(store, "m01", .around(.msgid("m03")), limit: 2) == [1, 3])
      #expect(try thread(store, "m01", .between(.msgid("m01"), .msgid("m06"))) == [3, 4])
      #expect(try thread(store, "m01", .latest(after: .msgid("m03"))) == [4, 6])
      #expect(try thread(store, "m02") == [2, 5, 10])
      // A reply stands for its thread; a message in no thread is alone; unknown is nothing.
      #expect(try thread(store, "m04") == [1, 3, 4, 6])
      #expect(try thread(store, "m09") == [9])
      #expect(try thread(store, "m08") == [8])
      #expect(try thread(store, "m07") == [])
      #expect(try thread(store, "unknown") == [])
      #expect(try thread(store, "m11") == [])
    }
  }

  @Test(arguments: StoreKind.allCases) func aThreadWhoseRootExpiredIsNotListed(kind: StoreKind)
    throws
  {
    try withSample(kind) { (store: any HistoryStore) throws in
      #expect(try store.deleteEntries(olderThan: 1500) == 1)
      #expect(roots(try store.threads(in: HistorySample.channel, before: nil, limit: 5)) == [2])
      #expect(try thread(store, "m01") == [3, 4, 6])
      #expect(try thread(store, "m04") == [3, 4, 6])
    }
  }

  @Test func participantsAreCapped() throws {
    for kind in StoreKind.allCases {
      try kind.withHistoryStore { (store: any HistoryStore) throws in
        try store.append(
          [Self.entry(1)]
            + (2...12).map { Self.entry($0, by: "u\($0)", account: nil, replyTo: "m01") })
        let listed = try store.threads(in: HistorySample.channel, before: nil, limit: 5)
        #expect(listed.first?.participants.count == HistoryThreading.participantCap)
        #expect(listed.first?.participants.prefix(2) == ["Ada", "u2"])
        #expect(listed.first?.participantCount == 12)
        #expect(listed.first?.replyCount == 11)
      }
    }
  }

  /// Rows kept before `v5-threads` are threaded by the migration, by the same rule.
  @Test func theMigrationThreadsOlderRows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path + "/lyceum.sqlite"
    do {
      let queue = try DatabaseQueue(path: path)
      try LyceumMigrations.migrator.migrate(queue, upTo: "v3-rooms")
      try queue.write { db in
        for entry in Self.sample {
          try db.execute(
            sql: """
              INSERT INTO history (target, msgid, time_ms, time_key, command, source, account,
                client_tags, params, reply_to, is_event)
              VALUES (?, ?, ?, ?, ?, ?, ?, '', '', ?, ?)
              """,
            arguments: [
              entry.target.key, entry.msgid, entry.timeMilliseconds, entry.timeMilliseconds,
              entry.command, entry.source, entry.account, entry.replyTo, entry.isEvent,
            ])
        }
      }
    }
    let store = SQLiteHistoryStore(database: try LyceumDatabase(path: path))
    #expect(try store.database.appliedMigrations().contains("v5-threads"))
    let threads = try store.threads(in: HistorySample.channel, before: nil, limit: 5)
    #expect(roots(threads) == [2, 1])
    #expect(try thread(store, "m04") == [1, 3, 4, 6])
  }
}
