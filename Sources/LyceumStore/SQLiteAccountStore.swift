import GRDB
import LyceumCore

/// The `AccountStore` of a running server: accounts, certificates and tokens in `LyceumDatabase`.
///
/// Behaves exactly like `InMemoryAccountStore` (the reference), including which call throws
/// `.alreadyExists` or `.notFound`; any other SQLite failure becomes `.storage` with the error's
/// text. Fingerprints are stored lower-case. Each call is one transaction, so a half-written
/// account (record without its certificates) is never visible.
public final class SQLiteAccountStore: AccountStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: LyceumDatabase

  public init(database: LyceumDatabase) {
    self.database = database
  }

  public func allAccounts() throws -> [AccountRecord] {
    try storing {
      try database.pool.read { db in
        let certificates = try Self.certificatesByAccount(db)
        return try Row.fetchAll(db, sql: "SELECT * FROM accounts")
          .map { try Self.account(from: $0, certificates: certificates[$0["folded_name"]] ?? []) }
          // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
          .sorted { $0.foldedName < $1.foldedName }
      }
    }
  }

  public func account(foldedName: String) throws -> AccountRecord? {
    try storing { try database.pool.read { db in try Self.account(db, foldedName: foldedName) } }
  }

  public func create(_ account: AccountRecord) throws {
    try storing {
      try database.pool.write { db in
        guard try Self.accountExists(db, foldedName: account.foldedName) == false else {
          throw AccountStoreError.alreadyExists
        }
        try Self.insert(account, db)
        try Self.replaceCertificates(of: account, db)
      }
    }
  }

  public func update(_ account: AccountRecord) throws {
    try storing {
      try database.pool.write { db in
        guard try Self.accountExists(db, foldedName: account.foldedName) else {
          throw AccountStoreError.notFound
        }
        try Self.updateRow(of: account, db)
        try Self.replaceCertificates(of: account, db)
      }
    }
  }

  public func delete(foldedName: String) throws {
    try storing {
      try database.pool.write { db in
        try db.execute(sql: "DELETE FROM accounts WHERE folded_name = ?", arguments: [foldedName])
        guard db.changesCount > 0 else { throw AccountStoreError.notFound }
      }
    }
  }

  public func account(certificateFingerprint fingerprint: String) throws -> AccountRecord? {
    try storing {
      try database.pool.read { db in
        guard
          let owner = try String.fetchOne(
            db, sql: "SELECT account FROM account_certificates WHERE fingerprint = ?",
            arguments: [fingerprint.lowercased()])
        else { return nil }
        return try Self.account(db, foldedName: owner)
      }
    }
  }

  /// Runs `body`, letting `AccountStoreError`s through and translating GRDB's: a constraint
  /// violation (primary key, `UNIQUE`) is `.alreadyExists`, anything else `.storage`.
  func storing<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as AccountStoreError {
      throw error
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
      throw AccountStoreError.alreadyExists
    } catch {
      throw AccountStoreError.storage(String(describing: error))
    }
  }
}
