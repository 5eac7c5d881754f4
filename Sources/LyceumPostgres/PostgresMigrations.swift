/// The PostgreSQL schema's history: named steps applied in order, each once, each in its own
/// transaction together with its row in `lyceum_migrations`, so a step is either wholly
/// applied and recorded or not at all.
///
/// Several processes may open the same database at once (two `lyceumd` starting, an
/// administration command beside a running server): every step first takes a transaction-scoped
/// advisory lock, so one of them migrates and the others then find the step recorded.
///
/// Append new steps at the end; never edit or reorder a step that has shipped. The steps start
/// from the schema the SQLite store reached at its `v10`, written once for PostgreSQL (its
/// types, identity columns, a `tsvector` for search) rather than replayed step by step.
enum PostgresMigrations {
  /// `(identifier, statements)` in application order.
  static let steps: [(String, [String])] = [
    ("v1-accounts", v1Accounts),
    ("v2-history", v2History),
    ("v3-rooms", v3Rooms),
    ("v4-read-markers", v4ReadMarkers),
    ("v5-network", v5Network),
  ]

  /// The advisory lock every migration step holds ("Lyceum" in ASCII).
  static let lockKey: Int64 = 0x4C79_6365_756D

  /// Applies every step `database` has not recorded yet.
  static func migrate(_ database: PostgresDatabase) throws {
    try database.write { connection in
      try connection.query("SELECT pg_advisory_xact_lock($1)", [lockKey])
      try connection.query(
        """
        CREATE TABLE IF NOT EXISTS lyceum_migrations (
          position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          identifier text NOT NULL UNIQUE,
          applied_at timestamptz NOT NULL DEFAULT now())
        """)
    }
    for (identifier, statements) in steps {
      try database.write { connection in
        try connection.query("SELECT pg_advisory_xact_lock($1)", [lockKey])
        let recorded = try connection.query(
          "SELECT 1 FROM lyceum_migrations WHERE identifier = $1", [identifier])
        guard recorded.isEmpty else { return }
        for statement in statements { try connection.query(statement) }
        try connection.query(
          "INSERT INTO lyceum_migrations (identifier) VALUES ($1)", [identifier])
      }
    }
  }

  /// The identifiers of the steps applied to `database`, in the order they were applied.
  static func applied(_ database: PostgresDatabase) throws -> [String] {
    try database.read { connection in
      try connection.query("SELECT identifier FROM lyceum_migrations ORDER BY position")
        .rows.map { try $0.text(0) }
    }
  }
}

extension PostgresDatabase {
  /// The identifiers of the migrations applied to this database, in order.
  public func appliedMigrations() throws -> [String] {
    try PostgresMigrations.applied(self)
  }
}
