extension PostgresDatabase {
  /// Creates `schema` if it does not exist yet (before the migrations run in it).
  func createSchemaIfNeeded() throws {
    guard let schema else { return }
    // An identifier cannot be a parameter; `schema` was checked to be `[a-z0-9_]+`.
    // `IF NOT EXISTS` is not safe against a second process creating the schema at the same
    // moment (two nodes starting together fail with a unique violation in `pg_namespace`):
    // the migrations' advisory lock makes the openers take turns.
    try write { connection in
      try connection.query("SELECT pg_advisory_xact_lock($1)", [PostgresMigrations.lockKey])
      try connection.query("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"")
    }
  }

  /// Drops the database's own schema and everything in it (tests clean up with this); does
  /// nothing for a database opened without a schema.
  package func dropSchema() throws {
    guard let schema else { return }
    try withConnection { connection in
      try connection.query("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }
  }

  /// Runs `statements` (no parameters) in one transaction: for tests that put the database in
  /// a state no client could reach (a node's lease taken away).
  package func runInOneTransaction(_ statements: [String]) throws {
    try write { connection in
      for statement in statements { try connection.query(statement) }
    }
  }
}
