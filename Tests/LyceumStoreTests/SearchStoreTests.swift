import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// `SEARCH` in the stores: the same answers from all on plain text, diacritics folded by the
/// persistent ones, and what only the SQLite store does (the FTS5 index kept with history, the
/// migration that builds it).
@Suite struct SearchStoreTests {
  static func message(
    _ n: Int, _ text: String, in target: HistoryTarget = HistorySample.channel,
    from nick: String = "ada", command: String = "PRIVMSG", replyTo: String? = nil
  ) -> HistoryEntry {
    HistoryEntry(
      msgid: HistorySample.msgid(n), timeMilliseconds: Int64(n) * 1000, target: target,
      command: command, source: "\(nick)!\(nick)@uu.se", account: nick,
      params: command == "JOIN" ? [target.key] : [target.key, text], replyTo: replyTo)
  }

  static let sample: [HistoryEntry] = [
    message(1, "The decision: we submit on Friday"),
    message(2, "lunch anyone?", from: "bob"),
    message(3, "budget decision pending", in: HistorySample.other),
    message(4, "", command: "JOIN"),
    message(5, "decision recorded", from: "bob", command: "NOTICE"),
    message(6, "a reply on the decision", replyTo: HistorySample.msgid(1)),
    message(7, "the data set is ready", in: HistorySample.direct, from: "bob"),
    message(8, "set the data free"),
  ]

  static func query(
    _ text: String?, in targets: [HistoryTarget] = [HistorySample.channel, HistorySample.other],
    floor: Int64 = 0, limit: Int = 10
  ) throws -> SearchQuery {
    SearchQuery(
      terms: try text.map { try SearchText.parse($0) },
      scopes: targets.map { SearchScope(target: $0, floor: floor) }, limit: limit)
  }

  static func numbers(_ result: SearchResult) -> [Int] { HistorySample.numbers(result.entries) }

  @Test(arguments: StoreKind.allCases)
  func bothStoresAgreeOnScopesFiltersAndPaging(_ kind: StoreKind) throws {
    try kind.withHistoryStore { store in
      try store.append(Self.sample)
      #expect(Self.numbers(try store.search(Self.query("decision"))) == [6, 5, 3, 1])
      #expect(
        Self.numbers(try store.search(Self.query("decision", in: [HistorySample.channel])))
          == [6, 5, 1])
      #expect(
        Self.numbers(try store.search(Self.query("\"data set\"", in: [HistorySample.direct])))
          == [7])
      #expect(Self.numbers(try store.search(Self.query("\"data set\""))).isEmpty)
      #expect(Self.numbers(try store.search(Self.query("decision -budget"))) == [6, 5, 1])
      #expect(Self.numbers(try store.search(Self.query("decis*"))) == [6, 5, 3, 1])
      #expect(Self.numbers(try store.search(Self.query("decision", floor: 3000))) == [6, 5, 3])
      var fromBob = try Self.query(nil)
      fromBob.from = "bob"
      #expect(Self.numbers(try store.search(fromBob)) == [5, 2])
      var thread = try Self.query("decision", in: [HistorySample.channel])
      thread.threadRoot = HistorySample.msgid(1)
      #expect(Self.numbers(try store.search(thread)) == [6, 1])
      var window = try Self.query("decision")
      window.after = 2000
      window.before = 5000
      #expect(Self.numbers(try store.search(window)) == [5, 3])
      // Pages of two, newest first, each continuing from the previous one's cursor.
      var paged = try Self.query("decision", limit: 2)
      let first = try store.search(paged)
      #expect(Self.numbers(first) == [6, 5])
      #expect(first.next != nil)
      paged.cursor = first.next
      let second = try store.search(paged)
      #expect(Self.numbers(second) == [3, 1])
      #expect(second.next == nil)
      // No scope, nothing.
      #expect(Self.numbers(try store.search(Self.query("decision", in: []))).isEmpty)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func theRowBudgetStopsASearchWithACursorToContinue(_ kind: StoreKind) throws {
    try kind.withHistoryStore { store in
      try store.append(Self.sample)
      var query = try Self.query("decision")
      query.scanBudget = 1
      let first = try store.search(query)
      #expect(first.budgetExhausted)
      #expect(Self.numbers(first) == [6])
      query.cursor = first.next
      #expect(Self.numbers(try store.search(query)) == [5])
    }
  }

  /// The persistent stores fold diacritics (SQLite's `unicode61`, PostgreSQL's lexemes from
  /// `PostgresSearchText`); the in-memory reference does not.
  @Test(arguments: StoreKind.persistent)
  func ignoresCaseAndDiacriticsAndFindsWordsInUnspacedScripts(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      try store.append([
        Self.message(1, "Réunion au café à 10 h"),
        Self.message(2, "Die Entscheidung fällt morgen"),
        Self.message(3, "我们决定明天提交论文"),
        Self.message(4, "会議は明日です"),
        Self.message(5, "회의는 내일입니다"),
        Self.message(6, "решение принято"),
        Self.message(7, "NEAR(\"x\" body: OR AND NOT *) ^col"),
      ])
      for (text, expected) in [
        ("cafe", [1]), ("CAFÉ", [1]), ("reunion", [1]), ("fallt", [2]), ("FÄLLT", [2]),
        ("决定", [3]), ("提交论文", [3]), ("定明", [3]), ("会議", [4]), ("회의", [5]),
        ("РЕШЕНИЕ", [6]), ("\"body OR\"", [7]), ("near", [7]), ("決定", []),
      ] {
        let found = try store.search(Self.query(text))
        #expect(Self.numbers(found) == expected, "\(text)")
      }
    }
  }

  @Test func retentionRemovesMessagesFromTheIndexInTheSameTransaction() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database, deletionChunk: 2)
    try store.append(Self.sample)
    store.indexBeforeSearch()
    let indexed = try database.pool.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM history_search")
    }
    #expect(indexed == 7)  // every PRIVMSG and NOTICE, not the JOIN
    #expect(try store.deleteEntries(olderThan: 5500) == 5)
    #expect(Self.numbers(try store.search(Self.query("decision"))) == [6])
    let left = try database.pool.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM history_search")
    }
    #expect(left == 3)
  }

  @Test func theMigrationIndexesHistoryKeptBeforeIt() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.path + "/" + LyceumDatabase.fileName
    do {
      let pool = try DatabasePool(path: path)
      try LyceumMigrations.migrator.migrate(pool, upTo: "v5-threads")
      try pool.write { db in
        for (n, command, text) in [
          (1, "PRIVMSG", "an old decision"), (2, "JOIN", ""), (3, "NOTICE", "ancient decision"),
        ] {
          try db.execute(
            sql: """
              INSERT INTO history (target, msgid, time_ms, time_key, message_time_key, command,
                source, account, client_tags, params, reply_to, is_event)
              VALUES ('#lyceum', ?, ?, ?, ?, ?, 'ada!ada@uu.se', 'ada', '', ?, NULL, ?)
              """,
            arguments: [
              HistorySample.msgid(n), n * 1000, n * 1000, command == "JOIN" ? nil : n * 1000,
              command,
              HistoryCoding.encode(params: command == "JOIN" ? ["#lyceum"] : ["#lyceum", text]),
              command == "JOIN",
            ])
        }
      }
    }
    let database = try LyceumDatabase(path: path)
    #expect(try database.appliedMigrations().contains("v7-search"))
    let store = SQLiteHistoryStore(database: database)
    #expect(Self.numbers(try store.search(Self.query("decision"))) == [3, 1])
  }

  @Test func debianSQLiteHasFTS5WithTheTokenizersUsed() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let options = try database.pool.read { db in
      try String.fetchAll(db, sql: "PRAGMA compile_options")
    }
    #expect(options.contains("ENABLE_FTS5"))
  }
}
