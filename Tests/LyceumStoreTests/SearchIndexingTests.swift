import Dispatch
import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// The SQLite store fills its search index in batches after messages are kept: when the writer
/// is quiet, when enough wait, before every search, and after a crash.
@Suite struct SearchIndexingTests {
  private static func messages(_ range: Range<Int>) -> [HistoryEntry] {
    range.map { SearchStoreTests.message($0, "decision number \($0)") }
  }

  private static func indexedRows(_ database: LyceumDatabase) throws -> Int {
    try database.pool.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM history_search") ?? -1
    }
  }

  private static func decisions(_ store: SQLiteHistoryStore, limit: Int = 1000) throws -> Int {
    try store.search(SearchStoreTests.query("decision", limit: limit)).entries.count
  }

  @Test func keepingAMessageDoesNotIndexItButASearchFindsIt() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    try store.append(Self.messages(1..<11))
    #expect(try Self.indexedRows(database) == 0)
    #expect(try Self.decisions(store) == 10)
    #expect(try Self.indexedRows(database) == 10)
  }

  @Test func aQuietWriterIndexesOnceABatchWaits() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    store.indexBeforeSearch()  // nothing waits now
    try store.append(Self.messages(1..<11))
    store.writerIsIdle()
    #expect(try Self.indexedRows(database) == 0)  // fewer than a batch wait
    try store.append(Self.messages(11..<(11 + SQLiteHistoryStore.searchIndexBatch)))
    store.writerIsIdle()
    #expect(try Self.indexedRows(database) == 10 + SQLiteHistoryStore.searchIndexBatch)
  }

  /// A store that counts the writer's quiet moments.
  private final class IdleCountingStore: HistoryStore, WorkWhenWriterIdle {
    let quietMoments = DispatchSemaphore(value: 0)
    func append(_ entries: [HistoryEntry]) throws {}
    func entries(_ query: HistoryQuery) throws -> [HistoryEntry] { [] }
    func activeTargets(among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int)
      throws -> [(target: HistoryTarget, lastMilliseconds: Int64)]
    { [] }
    func deleteEntries(olderThan cutoff: Int64) throws -> Int { 0 }
    func writerIsIdle() { quietMoments.signal() }
  }

  @Test func theGroupCommitWriterCallsItsStoreWhenNothingWaits() {
    let store = IdleCountingStore()
    let writer = GroupCommitWriter(store: store, onError: { _ in Issue.record("no error") })
    writer.submit(Self.messages(1..<2)) {}
    #expect(store.quietMoments.wait(timeout: .now() + .seconds(10)) == .success)
  }

  @Test func aWriterThatIsNeverQuietIndexesInItsOwnTransactions() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    store.indexBeforeSearch()
    let count = SQLiteHistoryStore.searchIndexInlineBatch
    try store.append(Self.messages(1..<count))
    #expect(try Self.indexedRows(database) == 0)
    try store.append(Self.messages(count..<(count + 1)))
    #expect(try Self.indexedRows(database) == count)
  }

  @Test func messagesACrashLeftUnindexedAreFoundAfterTheRestart() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let database = try LyceumDatabase.inDataDirectory(directory.path)
      let store = SQLiteHistoryStore(database: database)
      try store.append(Self.messages(1..<6))
      #expect(try Self.indexedRows(database) == 0)
    }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    #expect(try Self.decisions(store) == 5)
    let progress = try database.pool.read { db in
      try Int64.fetchOne(db, sql: "SELECT indexed_through FROM search_progress")
    }
    #expect(progress == 5)
  }

  @Test func messagesRemovedBeforeTheyWereIndexedAreSkipped() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    try store.append(Self.messages(1..<11))
    #expect(try store.deleteEntries(olderThan: 5500) == 5)
    #expect(try Self.decisions(store) == 5)
    #expect(try Self.indexedRows(database) == 5)
  }
}
