import LyceumCore

/// Reading and writing account rows; every function runs inside the caller's transaction.
extension PostgresAccountStore {
  /// The columns `account(from:certificates:)` reads, in its order.
  static let accountColumns = """
    folded_name, name, created_at_ms, institution, role, display_name, email, scrypt_hash,
    scram_salt, scram_iterations, scram_stored_key, scram_server_key
    """

  static func accountExists(_ connection: PostgresConnection, foldedName: String) throws -> Bool {
    try !connection.query("SELECT 1 FROM accounts WHERE folded_name = $1", [foldedName]).isEmpty
  }

  static func account(_ connection: PostgresConnection, foldedName: String) throws
    -> AccountRecord?
  {
    guard
      let row = try connection.query(
        "SELECT \(accountColumns) FROM accounts WHERE folded_name = $1", [foldedName]
      ).first
    else { return nil }
    let certificates = try connection.query(
      "SELECT fingerprint FROM account_certificates WHERE account = $1 ORDER BY position",
      [foldedName]
    ).rows.map { try $0.text(0) }
    return try account(from: row, certificates: certificates)
  }

  /// Every account's fingerprints, in the order they were given.
  static func certificatesByAccount(_ connection: PostgresConnection) throws -> [String: [String]] {
    var result: [String: [String]] = [:]
    for row in try connection.query(
      "SELECT account, fingerprint FROM account_certificates ORDER BY position"
    ).rows {
      result[try row.text(0), default: []].append(try row.text(1))
    }
    return result
  }

  static func account(from row: PostgresRow, certificates: [String]) throws -> AccountRecord {
    let roleName = try row.text(4)
    guard let role = AccountRole(rawValue: roleName) else {
      throw AccountStoreError.storage("unknown role '\(roleName)' in the accounts table")
    }
    var password: PasswordCredential?
    if let scryptHash = row.optionalText(7) {
      password = PasswordCredential(
        scryptHash: scryptHash, scramSalt: try row.optionalBytes(8) ?? [],
        scramIterations: Int(try row.optionalInt(9) ?? 0),
        scramStoredKey: try row.optionalBytes(10) ?? [],
        scramServerKey: try row.optionalBytes(11) ?? [])
    }
    return AccountRecord(
      name: try row.text(1), foldedName: try row.text(0),
      createdAtMilliseconds: try row.int(2), institution: row.optionalText(3), role: role,
      displayName: row.optionalText(5), email: row.optionalText(6), password: password,
      certificateFingerprints: certificates)
  }

  /// The columns after the key, in `insert`'s and `updateRow`'s order.
  private static func fields(of account: AccountRecord) -> [(any PostgresBindable)?] {
    let password = account.password
    return [
      account.name, account.createdAtMilliseconds, account.institution, account.role.rawValue,
      account.displayName, account.email, password?.scryptHash, password?.scramSalt,
      password?.scramIterations, password?.scramStoredKey, password?.scramServerKey,
    ]
  }

  static func insert(_ account: AccountRecord, _ connection: PostgresConnection) throws {
    try connection.query(
      """
      INSERT INTO accounts (name, created_at_ms, institution, role, display_name, email,
        scrypt_hash, scram_salt, scram_iterations, scram_stored_key, scram_server_key,
        folded_name)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      """,
      fields(of: account) + [account.foldedName])
  }

  static func updateRow(of account: AccountRecord, _ connection: PostgresConnection) throws {
    try connection.query(
      """
      UPDATE accounts SET name = $1, created_at_ms = $2, institution = $3, role = $4,
        display_name = $5, email = $6, scrypt_hash = $7, scram_salt = $8,
        scram_iterations = $9, scram_stored_key = $10, scram_server_key = $11
      WHERE folded_name = $12
      """,
      fields(of: account) + [account.foldedName])
  }

  /// Replaces the account's certificate rows with `account.certificateFingerprints`, lower-cased,
  /// in order; a fingerprint repeated inside one record is kept once.
  static func replaceCertificates(of account: AccountRecord, _ connection: PostgresConnection)
    throws
  {
    try connection.query(
      "DELETE FROM account_certificates WHERE account = $1", [account.foldedName])
    var seen: Set<String> = []
    for fingerprint in account.certificateFingerprints.map({ $0.lowercased() })
    where seen.insert(fingerprint).inserted {
      try connection.query(
        "INSERT INTO account_certificates (account, fingerprint) VALUES ($1, $2)",
        [account.foldedName, fingerprint])
    }
  }
}
