import GRDB

extension LyceumMigrations {
  /// SCRAM-SHA-256 keys for API tokens (salt, iteration count, StoredKey, ServerKey), so a bot
  /// whose library prefers SCRAM can log in with a token. Tokens made earlier have none (their
  /// secrets were never kept) and log in with PLAIN or PASS.
  static func migrateV8TokenSCRAM(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE api_tokens ADD COLUMN scram_salt BLOB;
        ALTER TABLE api_tokens ADD COLUMN scram_iterations INTEGER;
        ALTER TABLE api_tokens ADD COLUMN scram_stored_key BLOB;
        ALTER TABLE api_tokens ADD COLUMN scram_server_key BLOB;
        """)
  }
}
