import LyceumCore

/// API tokens: rows of `api_tokens`, listed in the order they were added.
extension PostgresAccountStore {
  static let tokenColumns = """
    account, name, secret_digest, created_at_ms, last_used_ms, scram_salt, scram_iterations,
    scram_stored_key, scram_server_key
    """

  public func addToken(_ token: APITokenRecord) throws {
    try storing {
      try database.write { connection in
        // Checked first: the foreign-key violation would otherwise read as `.alreadyExists`.
        guard try Self.accountExists(connection, foldedName: token.accountFoldedName) else {
          throw AccountStoreError.notFound
        }
        try connection.query(
          "INSERT INTO api_tokens (\(Self.tokenColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          [
            token.accountFoldedName, token.name, token.secretDigest, token.createdAtMilliseconds,
            token.lastUsedMilliseconds, token.scram?.salt, token.scram?.iterations,
            token.scram?.storedKey, token.scram?.serverKey,
          ])
      }
    }
  }

  public func tokens(accountFoldedName: String) throws -> [APITokenRecord] {
    try storing {
      try database.read { connection in
        try connection.query(
          "SELECT \(Self.tokenColumns) FROM api_tokens WHERE account = $1 ORDER BY position",
          [accountFoldedName]
        ).rows.map(Self.token(from:))
      }
    }
  }

  public func revokeToken(accountFoldedName: String, name: String) throws {
    try storing {
      try database.write { connection in
        let deleted = try connection.query(
          "DELETE FROM api_tokens WHERE account = $1 AND name = $2", [accountFoldedName, name])
        guard deleted.affected > 0 else { throw AccountStoreError.notFound }
      }
    }
  }

  public func token(accountFoldedName: String, secretDigest: String) throws -> APITokenRecord? {
    try storing {
      try database.read { connection in
        try connection.query(
          """
          SELECT \(Self.tokenColumns) FROM api_tokens WHERE account = $1 AND secret_digest = $2
          ORDER BY position LIMIT 1
          """,
          [accountFoldedName, secretDigest]
        ).first.map(Self.token(from:))
      }
    }
  }

  /// Records a use of the token; a token that no longer exists is ignored, as in memory.
  public func markTokenUsed(accountFoldedName: String, name: String, atMilliseconds: Int64) throws {
    try storing {
      try database.write { connection in
        try connection.query(
          "UPDATE api_tokens SET last_used_ms = $1 WHERE account = $2 AND name = $3",
          [atMilliseconds, accountFoldedName, name])
      }
    }
  }

  static func token(from row: PostgresRow) throws -> APITokenRecord {
    var scram: SCRAMKeyRecord?
    if let salt = try row.optionalBytes(5), let iterations = try row.optionalInt(6),
      let stored = try row.optionalBytes(7), let server = try row.optionalBytes(8)
    {
      scram = SCRAMKeyRecord(
        salt: salt, iterations: Int(iterations), storedKey: stored, serverKey: server)
    }
    return APITokenRecord(
      accountFoldedName: try row.text(0), name: try row.text(1),
      secretDigest: try row.text(2), createdAtMilliseconds: try row.int(3),
      lastUsedMilliseconds: try row.optionalInt(4), scram: scram)
  }
}
