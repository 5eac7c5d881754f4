import LyceumCore
import Testing

@testable import LyceumPostgres

/// Search on PostgreSQL beyond the shared suite: the vector lives in the history row, so
/// retention and redaction take a message out of search in the same transaction; and no user
/// text is ever `tsquery` syntax.
@Suite(.enabled(if: PostgresTestSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct PostgresSearchTests {
  @Test func retentionAndRedactionRemoveMessagesFromSearch() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    let store = PostgresHistoryStore(database: schema.database, deletionChunk: 2)
    try store.append(SearchStoreTests.sample)
    #expect(try indexed(schema) == 7)  // every PRIVMSG and NOTICE, not the JOIN
    #expect(try store.deleteEntries(olderThan: 5500) == 5)
    #expect(SearchStoreTests.numbers(try store.search(SearchStoreTests.query("decision"))) == [6])
    #expect(try indexed(schema) == 3)
    let redact = HistoryEntry(
      msgid: "m20", timeMilliseconds: 20_000, target: HistorySample.channel, command: "REDACT",
      source: "ada!ada@uu.se", account: "ada", params: [HistorySample.channel.key, "m06"])
    try store.append([redact])
    #expect(try store.search(SearchStoreTests.query("decision")).entries.isEmpty)
    #expect(try indexed(schema) == 2)
  }

  @Test func queryLookingTextIsOnlyWords() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    let store = PostgresHistoryStore(database: schema.database)
    try store.append([
      SearchStoreTests.message(1, "it's a \\ back'slash & pipe | !bang :* <-> (x)"),
      SearchStoreTests.message(2, "plain words only"),
    ])
    for (text, expected) in [
      ("it's", [1]), ("\"back'slash\"", [1]), ("back*", [1]), ("pipe bang", [1]),
      ("\"words only\"", [2]), ("-pipe words", [2]), ("x", [1]),
    ] {
      let found = try store.search(SearchStoreTests.query(text))
      #expect(SearchStoreTests.numbers(found) == expected, "\(text)")
    }
  }

  @Test func vectorsAndQueriesAreQuotedLexemes() throws {
    #expect(PostgresSearchText.vector("Café, café: it's") == "'cafe':1,2 'it':3 's':4")
    let terms = try SearchText.parse("\"data set\" decis* -budget")
    #expect(
      PostgresSearchText.query(terms) == "('data' <-> 'set') & ('decis':*) & !('budget')")
  }

  private func indexed(_ schema: PostgresTestSchema) throws -> Int64? {
    try schema.database.read { connection in
      try connection.query("SELECT count(*) FROM history WHERE search IS NOT NULL").first?.int(0)
    }
  }
}
