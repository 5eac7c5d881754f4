import GRDB

extension LyceumMigrations {
  /// Accounts, their TLS client-certificate fingerprints and their API tokens.
  ///
  /// Secrets are stored only in the forms the account service computes: an scrypt hash string and
  /// SCRAM-SHA-256 salt/iterations/keys (all NULL for an account without a password), and the
  /// SHA-256 digest of each API token. Child rows cascade when an account is deleted.
  static func migrateV1Accounts(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE accounts (
          folded_name TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          created_at_ms INTEGER NOT NULL,
          institution TEXT,
          role TEXT NOT NULL,
          display_name TEXT,
          email TEXT,
          scrypt_hash TEXT,
          scram_salt BLOB,
          scram_iterations INTEGER,
          scram_stored_key BLOB,
          scram_server_key BLOB
        );
        CREATE TABLE account_certificates (
          account TEXT NOT NULL REFERENCES accounts(folded_name) ON DELETE CASCADE,
          fingerprint TEXT NOT NULL UNIQUE
        );
        CREATE INDEX account_certificates_by_account ON account_certificates(account);
        CREATE TABLE api_tokens (
          account TEXT NOT NULL REFERENCES accounts(folded_name) ON DELETE CASCADE,
          name TEXT NOT NULL,
          secret_digest TEXT NOT NULL,
          created_at_ms INTEGER NOT NULL,
          last_used_ms INTEGER,
          UNIQUE (account, name)
        );
        CREATE INDEX api_tokens_by_digest ON api_tokens(account, secret_digest);
        """)
  }
}
