import GRDB
import Testing

@testable import LyceumStore

/// `LyceumDatabase.writeTransaction`, the history writer's transaction with its `BEGIN` and
/// `COMMIT` kept prepared: it commits what its body wrote, leaves nothing behind when the body
/// throws, and runs again and again on the same cached statements.
@Suite struct WriteTransactionTests {
  private func database(_ directory: TemporaryDirectory) throws -> LyceumDatabase {
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    try database.pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER NOT NULL)") }
    return database
  }

  private func values(_ database: LyceumDatabase) throws -> [Int] {
    try database.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM t ORDER BY n") }
  }

  @Test func commitsWhatTheBodyWroteAndReturnsItsResult() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try database(directory)
    for n in 1...3 {
      let inserted = try database.writeTransaction { db -> Int64 in
        try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
        return db.lastInsertedRowID
      }
      #expect(inserted == Int64(n))
    }
    // Read through another connection of the pool: the rows were committed, not just written.
    #expect(try values(database) == [1, 2, 3])
  }

  @Test func aThrowingBodyRollsBackAndTheNextTransactionRuns() throws {
    struct Refused: Error {}
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try database(directory)
    #expect(throws: Refused.self) {
      try database.writeTransaction { db in
        try db.execute(sql: "INSERT INTO t (n) VALUES (1)")
        throw Refused()
      }
    }
    // A failing statement (NOT NULL) inside the body rolls back the rows before it too.
    #expect(throws: DatabaseError.self) {
      try database.writeTransaction { db in
        try db.execute(sql: "INSERT INTO t (n) VALUES (2)")
        try db.execute(sql: "INSERT INTO t (n) VALUES (NULL)")
      }
    }
    #expect(try values(database) == [])
    try database.writeTransaction { db in
      #expect(db.isInsideTransaction)
      try db.execute(sql: "INSERT INTO t (n) VALUES (3)")
    }
    #expect(try values(database) == [3])
    // No transaction was left open on the writer.
    database.pool.writeWithoutTransaction { db in #expect(!db.isInsideTransaction) }
  }
}
