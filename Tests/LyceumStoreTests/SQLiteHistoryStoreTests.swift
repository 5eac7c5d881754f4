import Dispatch
import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// What only the SQLite store has: a file, a schema and query plans (the differential tests
/// against `HistorySelection` run on every persistent store in `ServerHistoryStoreTests`).
@Suite struct SQLiteHistoryStoreTests {
  @Test func historySurvivesReopeningTheFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let database = try LyceumDatabase.inDataDirectory(directory.path)
      let writer = GroupCommitWriter(
        store: SQLiteHistoryStore(database: database), onError: { _ in Issue.record("no error") })
      let done = DispatchGroup()
      for entry in HistorySample.channelEntries {
        done.enter()
        writer.submit([entry]) { done.leave() }
      }
      #expect(done.wait(timeout: .now() + .seconds(30)) == .success)
    }
    let reopened = SQLiteHistoryStore(
      database: try .inDataDirectory(directory.path, durableAgainstPowerLoss: true))
    #expect(
      try reopened.entries(
        HistoryQuery(
          target: HistorySample.channel, selector: .latest(after: nil), limit: 100,
          messagesOnly: false)) == HistorySample.channelEntries)
    #expect(try reopened.database.appliedMigrations() == LyceumMigrations.steps.map(\.0))
    let synchronous = try reopened.database.pool.read { db in
      try Int.fetchOne(db, sql: "PRAGMA synchronous")
    }
    #expect(synchronous == 2)  // FULL
  }

  /// The hot selections are index range scans: no table scan and no sort, whatever the size.
  @Test func selectionsUseTheirIndexes() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    func plan(_ sql: String) throws -> String {
      let arguments: StatementArguments = sql.contains("LIMIT 1") ? ["#c", 1] : ["#c", 1, 2, 3]
      return try database.pool.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
          .map { $0["detail"] as String }.joined(separator: " | ")
      }
    }
    let columns = SQLiteHistoryStore.columns
    let latest = try plan(
      "SELECT \(columns) FROM history WHERE target = ? AND id >= ? AND id < ? ORDER BY id DESC LIMIT ?"
    )
    #expect(latest.contains("history_by_target") && !latest.contains("TEMP B-TREE"), "\(latest)")
    let messages = try plan(
      "SELECT \(columns) FROM history WHERE target = ? AND is_event = 0 AND id >= ? AND id < ? ORDER BY id LIMIT ?"
    )
    #expect(
      messages.contains("history_messages_by_target") && !messages.contains("TEMP B-TREE"),
      "\(messages)")
    let time = try plan(
      "SELECT id FROM history WHERE target = ? AND time_key >= ? ORDER BY time_key, id LIMIT 1")
    #expect(time.contains("history_by_target_time") && !time.contains("TEMP B-TREE"), "\(time)")
    let messageTime = try plan(
      "SELECT id FROM history WHERE target = ? AND is_event = 0 AND message_time_key > ? ORDER BY message_time_key, id LIMIT 1"
    )
    #expect(
      messageTime.contains("history_messages_by_target_time")
        && !messageTime.contains("TEMP B-TREE"),
      "\(messageTime)")
  }
}
