import GRDB

extension LyceumMigrations {
  /// Read markers (`draft/read-marker`): one row per account and target, both folded, with the
  /// time of the last message read in milliseconds since 1970.
  static func migrateV4ReadMarkers(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE read_markers (
          account TEXT NOT NULL,
          target TEXT NOT NULL,
          time_ms INTEGER NOT NULL,
          PRIMARY KEY (account, target)
        ) WITHOUT ROWID;
        """)
  }
}
