import Foundation
import GRDB
import LyceumCore

/// Reading and writing account rows; every function runs inside the caller's transaction.
extension SQLiteAccountStore {
  static func accountExists(_ db: Database, foldedName: String) throws -> Bool {
    try Bool.fetchOne(
      db, sql: "SELECT EXISTS (SELECT 1 FROM accounts WHERE folded_name = ?)",
      arguments: [foldedName]) ?? false
  }

  static func account(_ db: Database, foldedName: String) throws -> AccountRecord? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM accounts WHERE folded_name = ?", arguments: [foldedName])
    else { return nil }
    let certificates = try String.fetchAll(
      db, sql: "SELECT fingerprint FROM account_certificates WHERE account = ? ORDER BY rowid",
      arguments: [foldedName])
    return try account(from: row, certificates: certificates)
  }

  /// Every account's fingerprints, in the order they were given.
  static func certificatesByAccount(_ db: Database) throws -> [String: [String]] {
    var result: [String: [String]] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT account, fingerprint FROM account_certificates ORDER BY rowid")
    {
      result[row["account"], default: []].append(row["fingerprint"])
    }
    return result
  }

  static func account(from row: Row, certificates: [String]) throws -> AccountRecord {
    let roleName: String = row["role"]
    guard let role = AccountRole(rawValue: roleName) else {
      throw AccountStoreError.storage("unknown role '\(roleName)' in the accounts table")
    }
    var password: PasswordCredential?
    if let scryptHash: String = row["scrypt_hash"] {
      password = PasswordCredential(
        scryptHash: scryptHash, scramSalt: bytes(row["scram_salt"]),
        scramIterations: row["scram_iterations"] ?? 0,
        scramStoredKey: bytes(row["scram_stored_key"]),
        scramServerKey: bytes(row["scram_server_key"]))
    }
    return AccountRecord(
      name: row["name"], foldedName: row["folded_name"],
      createdAtMilliseconds: row["created_at_ms"], institution: row["institution"], role: role,
      displayName: row["display_name"], email: row["email"], password: password,
      certificateFingerprints: certificates)
  }

  static func insert(_ account: AccountRecord, _ db: Database) throws {
    let password = account.password
    try db.execute(
      sql: """
        INSERT INTO accounts (folded_name, name, created_at_ms, institution, role, display_name,
          email, scrypt_hash, scram_salt, scram_iterations, scram_stored_key, scram_server_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        account.foldedName, account.name, account.createdAtMilliseconds, account.institution,
        account.role.rawValue, account.displayName, account.email, password?.scryptHash,
        password.map { Data($0.scramSalt) }, password?.scramIterations,
        password.map { Data($0.scramStoredKey) }, password.map { Data($0.scramServerKey) },
      ])
  }

  static func updateRow(of account: AccountRecord, _ db: Database) throws {
    let password = account.password
    try db.execute(
      sql: """
        UPDATE accounts SET name = ?, created_at_ms = ?, institution = ?, role = ?,
          display_name = ?, email = ?, scrypt_hash = ?, scram_salt = ?, scram_iterations = ?,
          scram_stored_key = ?, scram_server_key = ?
        WHERE folded_name = ?
        """,
      arguments: [
        account.name, account.createdAtMilliseconds, account.institution, account.role.rawValue,
        account.displayName, account.email, password?.scryptHash,
        password.map { Data($0.scramSalt) }, password?.scramIterations,
        password.map { Data($0.scramStoredKey) }, password.map { Data($0.scramServerKey) },
        account.foldedName,
      ])
  }

  /// Replaces the account's certificate rows with `account.certificateFingerprints`, lower-cased,
  /// in order; a fingerprint repeated inside one record is kept once.
  static func replaceCertificates(of account: AccountRecord, _ db: Database) throws {
    try db.execute(
      sql: "DELETE FROM account_certificates WHERE account = ?", arguments: [account.foldedName])
    var seen: Set<String> = []
    for fingerprint in account.certificateFingerprints.map({ $0.lowercased() })
    where seen.insert(fingerprint).inserted {
      try db.execute(
        sql: "INSERT INTO account_certificates (account, fingerprint) VALUES (?, ?)",
        arguments: [account.foldedName, fingerprint])
    }
  }

  private static func bytes(_ data: Data?) -> [UInt8] {
    data.map { [UInt8]($0) } ?? []
  }
}
