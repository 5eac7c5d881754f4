import LyceumCore

/// The `AccountStore` on PostgreSQL: accounts, certificates and tokens in `PostgresDatabase`.
///
/// Behaves exactly like `InMemoryAccountStore` (the reference) and `SQLiteAccountStore`: the
/// same calls throw `.alreadyExists` (an existing name, or any integrity constraint: a
/// fingerprint another account owns) or `.notFound`; any other failure is `.storage` with
/// PostgreSQL's message. Each call is one transaction.
public final class PostgresAccountStore: AccountStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: PostgresDatabase

  public init(database: PostgresDatabase) {
    self.database = database
  }

  public func allAccounts() throws -> [AccountRecord] {
    try storing {
      try database.read { connection in
        let certificates = try Self.certificatesByAccount(connection)
        return try connection.query("SELECT \(Self.accountColumns) FROM accounts").rows
          .map { row in
            try Self.account(from: row, certificates: certificates[try row.text(0)] ?? [])
          }
          // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
          .sorted { $0.foldedName < $1.foldedName }
      }
    }
  }

  public func account(foldedName: String) throws -> AccountRecord? {
    try storing {
      try database.read { connection in try Self.account(connection, foldedName: foldedName) }
    }
  }

  public func create(_ account: AccountRecord) throws {
    try storing {
      try database.write { connection in
        guard try !Self.accountExists(connection, foldedName: account.foldedName) else {
          throw AccountStoreError.alreadyExists
        }
        try Self.insert(account, connection)
        try Self.replaceCertificates(of: account, connection)
      }
    }
  }

  public func update(_ account: AccountRecord) throws {
    try storing {
      try database.write { connection in
        guard try Self.accountExists(connection, foldedName: account.foldedName) else {
          throw AccountStoreError.notFound
        }
        try Self.updateRow(of: account, connection)
        try Self.replaceCertificates(of: account, connection)
      }
    }
  }

  public func delete(foldedName: String) throws {
    try storing {
      try database.write { connection in
        let deleted = try connection.query(
          "DELETE FROM accounts WHERE folded_name = $1", [foldedName])
        guard deleted.affected > 0 else { throw AccountStoreError.notFound }
      }
    }
  }

  public func account(certificateFingerprint fingerprint: String) throws -> AccountRecord? {
    try storing {
      try database.read { connection in
        guard
          let owner = try connection.query(
            "SELECT account FROM account_certificates WHERE fingerprint = $1",
            [fingerprint.lowercased()]
          ).first
        else { return nil }
        return try Self.account(connection, foldedName: try owner.text(0))
      }
    }
  }

  /// Runs `body`, letting `AccountStoreError`s through: an integrity constraint violation is
  /// `.alreadyExists` (as in SQLite), any other failure `.storage`.
  @discardableResult
  func storing<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as AccountStoreError {
      throw error
    } catch let error as PostgresError where error.isConstraintViolation {
      throw AccountStoreError.alreadyExists
    } catch {
      throw AccountStoreError.storage(String(describing: error))
    }
  }
}
