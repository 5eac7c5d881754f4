import Foundation
import GRDB
import LyceumCore

/// API tokens: rows of `api_tokens`, listed in the order they were added.
extension SQLiteAccountStore {
  public func addToken(_ token: APITokenRecord) throws {
    try storing {
      try database.pool.write { db in
        // Checked first: the foreign-key violation would otherwise read as `.alreadyExists`.
        guard try Self.accountExists(db, foldedName: token.accountFoldedName) else {
          throw AccountStoreError.notFound
        }
        try db.execute(
          sql: """
            INSERT INTO api_tokens (account, name, secret_digest, created_at_ms, last_used_ms,
              scram_salt, scram_iterations, scram_stored_key, scram_server_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            token.accountFoldedName, token.name, token.secretDigest, token.createdAtMilliseconds,
            token.lastUsedMilliseconds, token.scram.map { Data($0.salt) }, token.scram?.iterations,
            token.scram.map { Data($0.storedKey) }, token.scram.map { Data($0.serverKey) },
          ])
      }
    }
  }

  public func tokens(accountFoldedName: String) throws -> [APITokenRecord] {
    try storing {
      try database.pool.read { db in
        try Row.fetchAll(
          db, sql: "SELECT * FROM api_tokens WHERE account = ? ORDER BY rowid",
          arguments: [accountFoldedName]
        ).map(Self.token(from:))
      }
    }
  }

  public func revokeToken(accountFoldedName: String, name: String) throws {
    try storing {
      try database.pool.write { db in
        try db.execute(
          sql: "DELETE FROM api_tokens WHERE account = ? AND name = ?",
          arguments: [accountFoldedName, name])
        guard db.changesCount > 0 else { throw AccountStoreError.notFound }
      }
    }
  }

  public func token(accountFoldedName: String, secretDigest: String) throws -> APITokenRecord? {
    try storing {
      try database.pool.read { db in
        try Row.fetchOne(
          db,
          sql: """
            SELECT * FROM api_tokens WHERE account = ? AND secret_digest = ?
            ORDER BY rowid LIMIT 1
            """,
          arguments: [accountFoldedName, secretDigest]
        ).map(Self.token(from:))
      }
    }
  }

  /// Records a use of the token; a token that no longer exists is ignored, as in memory.
  public func markTokenUsed(accountFoldedName: String, name: String, atMilliseconds: Int64) throws {
    try storing {
      try database.pool.write { db in
        try db.execute(
          sql: "UPDATE api_tokens SET last_used_ms = ? WHERE account = ? AND name = ?",
          arguments: [atMilliseconds, accountFoldedName, name])
      }
    }
  }

  static func token(from row: Row) -> APITokenRecord {
    var scram: SCRAMKeyRecord?
    if let salt: Data = row["scram_salt"], let iterations: Int = row["scram_iterations"],
      let stored: Data = row["scram_stored_key"], let server: Data = row["scram_server_key"]
    {
      scram = SCRAMKeyRecord(
        salt: Array(salt), iterations: iterations, storedKey: Array(stored),
        serverKey: Array(server))
    }
    return APITokenRecord(
      accountFoldedName: row["account"], name: row["name"], secretDigest: row["secret_digest"],
      createdAtMilliseconds: row["created_at_ms"], lastUsedMilliseconds: row["last_used_ms"],
      scram: scram)
  }
}
