import GRDB
import Testing

@testable import LyceumStore

/// The history insert's own binding (`DirectBinding`): the values SQLite stores are the ones
/// given, an empty text stays a text, and a failed step throws SQLite's error and leaves the
/// statement ready for the next row.
@Suite struct DirectBindingTests {
  private func table() throws -> DatabaseQueue {
    let queue = try DatabaseQueue()
    try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (a TEXT NOT NULL, b INTEGER, c TEXT)")
    }
    return queue
  }

  @Test func storesTextIntegersAndNulls() throws {
    let queue = try table()
    try queue.write { db in
      let insert = try db.cachedStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
      try DirectBinding.run(insert, [.text("héllo 🌍"), .integer(-42), .null], db)
      try DirectBinding.run(insert, [.text(""), .optional(Int64?.none), .optional("x")], db)
    }
    let rows = try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT a, b, c, typeof(a), typeof(b) FROM t ORDER BY rowid")
    }
    #expect(rows.count == 2)
    #expect(rows[0][0] as String == "héllo 🌍")
    #expect(rows[0][1] as Int64 == -42)
    #expect(rows[0][2] as String? == nil)
    // An empty text is '' (a null pointer would have bound NULL and broken NOT NULL).
    #expect(rows[1][0] as String == "")
    #expect(rows[1][3] as String == "text")
    #expect(rows[1][4] as String == "null")
    #expect(rows[1][2] as String == "x")
  }

  @Test func aFailedStepThrowsAndTheStatementRunsAgain() throws {
    let queue = try table()
    try queue.write { db in
      let insert = try db.cachedStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
      #expect(throws: DatabaseError.self) {
        try DirectBinding.run(insert, [.null, .integer(1), .null], db)
      }
      try DirectBinding.run(insert, [.text("after"), .integer(2), .null], db)
    }
    let count = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
    #expect(count == 1)
  }
}
