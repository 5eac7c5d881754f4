import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// The history writer keeps each target's running time maxima between its transactions
/// (`SQLiteHistoryStore.RunningTimeKeys`); a newer row written by anyone else must still be
/// seen, or a later row would get a smaller time key than the rows before it and `BEFORE` /
/// `AFTER timestamp=` would select around it wrongly.
@Suite struct RunningTimeKeysTests {
  private func timeKey(of n: Int, in database: LyceumDatabase) throws -> Int64? {
    try database.pool.read { db in
      try Int64.fetchOne(
        db, sql: "SELECT time_key FROM history WHERE msgid = ?",
        arguments: [HistorySample.msgid(n)])
    }
  }

  /// Runs `body` with a history store on a new database in a temporary directory.
  private func withStore(
    _ body: (SQLiteHistoryStore, LyceumDatabase, TemporaryDirectory) throws -> Void
  ) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    try body(SQLiteHistoryStore(database: database), database, directory)
  }

  @Test func aNewerRowCommittedByAnotherConnectionIsSeen() throws {
    try withStore { store, database, directory in
      try store.append([HistorySample.entry(1, time: 100)])
      try store.append([HistorySample.entry(2, time: 200)])
      // Another process on the same file (its own connections), keeping a newer line.
      let elsewhere = SQLiteHistoryStore(
        database: try LyceumDatabase.inDataDirectory(directory.path))
      try elsewhere.append([HistorySample.entry(3, time: 1000)])
      try store.append([HistorySample.entry(4, time: 300)])
      #expect(try timeKey(of: 2, in: database) == 200)
      #expect(try timeKey(of: 4, in: database) == 1000)
    }
  }

  @Test func aNewerRowWrittenThroughTheSameConnectionIsSeen() throws {
    try withStore { store, database, _ in
      try store.append([HistorySample.entry(1, time: 100)])
      // A second store on the same `LyceumDatabase` writes through the same writer connection.
      try SQLiteHistoryStore(database: database).append([HistorySample.entry(2, time: 1000)])
      try store.append([HistorySample.entry(3, time: 300)])
      #expect(try timeKey(of: 3, in: database) == 1000)
    }
  }

  @Test func keysKeptAcrossTransactionsContinueTheMaximum() throws {
    try withStore { store, database, _ in
      // A clock stepping back between commits: the key stays at the maximum so far.
      try store.append([HistorySample.entry(1, time: 500)])
      try store.append([HistorySample.entry(2, time: 400)])
      try store.append([HistorySample.entry(3, time: 600)])
      #expect(try timeKey(of: 2, in: database) == 500)
      #expect(try timeKey(of: 3, in: database) == 600)
      #expect(store.runningTimeKeys.withLock { $0.keys[HistorySample.channel.key]?.all } == 600)
    }
  }

  @Test func tooManyTargetsStartOver() throws {
    try withStore { store, database, _ in
      let limit = SQLiteHistoryStore.RunningTimeKeys.limit
      let many = (0...limit).map { n in
        HistorySample.entry(n, target: .channel("#room\(n)"), time: 100)
      }
      try store.append(many)
      #expect(store.runningTimeKeys.withLock { $0.keys.count } == limit + 1)
      try store.append([HistorySample.entry(limit + 1, time: 200)])
      // Started over: only the target of the last transaction is kept.
      #expect(store.runningTimeKeys.withLock { $0.keys.count } == 1)
      #expect(try timeKey(of: limit + 1, in: database) == 200)
    }
  }
}
