import GRDB

extension LyceumMigrations {
  /// How far the search index has taken the history: the newest history row the indexer looked
  /// at (see `SQLiteHistoryStore+SearchIndexing.swift`). Until this step every kept message was
  /// indexed as it was kept, so the mark starts at the newest row.
  static func migrateV11SearchProgress(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE search_progress (
          only INTEGER PRIMARY KEY CHECK (only = 0),
          indexed_through INTEGER NOT NULL);
        INSERT INTO search_progress (only, indexed_through)
          VALUES (0, coalesce((SELECT max(id) FROM history), 0));
        """)
  }
}
