extension PostgresDatabase {
  /// Creates `schema` if it does not exist yet (before the migrations run in it).
  func createSchemaIfNeeded() throws {
    guard let schema else { return }
    // An identifier cannot be a parameter; `schema` was checked to be `[a-z0-9_]+`.
    try withConnection { connection in
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
}
