import Foundation
import GRDB
import LyceumCore
import Testing

@testable import LyceumStore

/// What only the SQLite store has: a file that outlives the process, a schema, raw bytes.
@Suite struct SQLiteAccountStoreTests {
  @Test func accountsAndTokensSurviveReopeningTheFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let ada = Sample.account("Ada", certificates: ["aa11"], password: Sample.credential)
    do {
      let store = SQLiteAccountStore(database: try .inDataDirectory(directory.path))
      try store.create(ada)
      try store.addToken(Sample.token("ada", "ci"))
      try store.markTokenUsed(accountFoldedName: "ada", name: "ci", atMilliseconds: 99)
    }
    let reopened = SQLiteAccountStore(database: try .inDataDirectory(directory.path))
    #expect(try reopened.allAccounts() == [ada])
    #expect(try reopened.tokens(accountFoldedName: "ada").first?.lastUsedMilliseconds == 99)
  }

  @Test func migrationsRunOnceAndReopeningIsIdempotent() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let first = try LyceumDatabase.inDataDirectory(directory.path)
    #expect(try first.appliedMigrations() == ["v1-accounts", "v2-history"])
    try SQLiteAccountStore(database: first).create(Sample.account("Ada"))
    for _ in 0..<3 {
      let again = try LyceumDatabase.inDataDirectory(directory.path)
      #expect(try again.appliedMigrations() == ["v1-accounts", "v2-history"])
      #expect(try SQLiteAccountStore(database: again).allAccounts().count == 1)
    }
  }

  /// `lyceumd account …` opens the file while the server has it open: each sees the other's
  /// committed writes at once.
  @Test func twoOpenDatabasesOnOneFileSeeEachOthersWrites() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let server = SQLiteAccountStore(database: try .inDataDirectory(directory.path))
    let tool = SQLiteAccountStore(database: try .inDataDirectory(directory.path))
    #expect(try server.allAccounts().isEmpty)
    try tool.create(Sample.account("Ada"))
    #expect(try server.account(foldedName: "ada")?.name == "Ada")
    try server.addToken(Sample.token("ada", "ci"))
    try tool.revokeToken(accountFoldedName: "ada", name: "ci")
    #expect(try server.tokens(accountFoldedName: "ada").isEmpty)
  }

  @Test func theFileIsInWALModeWithForeignKeysOn() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    #expect(database.path == directory.path + "/lyceum.sqlite")
    let (journalMode, foreignKeys, synchronous) = try database.pool.read { db in
      (
        try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
        try Int.fetchOne(db, sql: "PRAGMA synchronous")
      )
    }
    #expect(journalMode == "wal")
    #expect(foreignKeys == 1)
    #expect(synchronous == 1)  // NORMAL
  }

  @Test func deletingAnAccountCascadesToItsRows() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteAccountStore(database: database)
    try store.create(Sample.account("Ada", certificates: ["aa11", "bb22"]))
    try store.addToken(Sample.token("ada", "ci"))
    try store.addToken(Sample.token("ada", "bot"))
    // Deleted with plain SQL, so that only the schema's ON DELETE CASCADE can remove the rest.
    try database.pool.write { db in
      try db.execute(sql: "DELETE FROM accounts WHERE folded_name = 'ada'")
    }
    let (certificates, tokens) = try database.pool.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT count(*) FROM account_certificates"),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM api_tokens")
      )
    }
    #expect(certificates == 0)
    #expect(tokens == 0)
  }

  @Test func fingerprintsAreStoredLowerCaseAndOwnedByOneAccount() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteAccountStore(database: database)
    try store.create(Sample.account("Ada", certificates: ["AA11FF"]))
    let stored = try database.pool.read { db in
      try String.fetchAll(db, sql: "SELECT fingerprint FROM account_certificates")
    }
    #expect(stored == ["aa11ff"])
    #expect(try store.account(foldedName: "ada")?.certificateFingerprints == ["aa11ff"])
    // The UNIQUE constraint: another account cannot claim the same certificate.
    #expect(throws: AccountStoreError.alreadyExists) {
      try store.create(Sample.account("Bob", certificates: ["aa11ff"]))
    }
    #expect(try store.account(foldedName: "bob") == nil)
  }

  @Test func aCorruptRoleIsAStorageError() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteAccountStore(database: database)
    try store.create(Sample.account("Ada"))
    try database.pool.write { db in try db.execute(sql: "UPDATE accounts SET role = 'wizard'") }
    #expect(throws: AccountStoreError.storage("unknown role 'wizard' in the accounts table")) {
      try store.allAccounts()
    }
  }

  /// The store writes only what it is given: the scrypt hash and SCRAM keys that the account
  /// service (`LyceumAccounts`) computed. It never sees a clear password, so this test cannot
  /// prove hashing happens (that is `LyceumAccounts`' job and tests); it checks that nothing in
  /// the file, main or WAL, holds a password we never stored, and — so that the byte search is
  /// known to work — that the hash we did store is found.
  @Test func theFileHoldsTheHashButNoClearPassword() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let marker = "correct-horse-battery-staple-\(UUID().uuidString)"
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteAccountStore(database: database)
    try store.create(Sample.account("Ada", password: Sample.credential))
    try database.checkpoint()
    var bytes = Data()
    for suffix in ["", "-wal"] {
      if let data = FileManager.default.contents(atPath: database.path + suffix) {
        bytes.append(data)
      }
    }
    #expect(bytes.range(of: Data(Sample.credential.scryptHash.utf8)) != nil)
    #expect(bytes.range(of: Data(marker.utf8)) == nil)
  }
}
