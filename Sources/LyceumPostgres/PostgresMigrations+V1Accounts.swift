extension PostgresMigrations {
  /// Accounts, their TLS client-certificate fingerprints and their API tokens, as in SQLite:
  /// secrets only as the account service computes them (scrypt hash, SCRAM keys, token
  /// digests). `position` keeps fingerprints and tokens in the order they were added (SQLite's
  /// `rowid`). Key columns use the "C" collation, so that ordering never depends on the
  /// database's locale.
  static let v1Accounts = [
    """
    CREATE TABLE accounts (
      folded_name text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      created_at_ms bigint NOT NULL,
      institution text,
      role text NOT NULL,
      display_name text,
      email text,
      scrypt_hash text,
      scram_salt bytea,
      scram_iterations bigint,
      scram_stored_key bytea,
      scram_server_key bytea)
    """,
    """
    CREATE TABLE account_certificates (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account text COLLATE "C" NOT NULL REFERENCES accounts (folded_name) ON DELETE CASCADE,
      fingerprint text COLLATE "C" NOT NULL UNIQUE)
    """,
    "CREATE INDEX account_certificates_by_account ON account_certificates (account, position)",
    """
    CREATE TABLE api_tokens (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      account text COLLATE "C" NOT NULL REFERENCES accounts (folded_name) ON DELETE CASCADE,
      name text COLLATE "C" NOT NULL,
      secret_digest text COLLATE "C" NOT NULL,
      created_at_ms bigint NOT NULL,
      last_used_ms bigint,
      scram_salt bytea,
      scram_iterations bigint,
      scram_stored_key bytea,
      scram_server_key bytea,
      UNIQUE (account, name))
    """,
    "CREATE INDEX api_tokens_by_digest ON api_tokens (account, secret_digest)",
  ]
}
