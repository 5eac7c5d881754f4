import GRDB

extension LyceumMigrations {
  /// Multiline messages (`draft/multiline`): `lines` holds a kept multiline message's lines
  /// as sent (`HistoryCoding.encode(lines:)`), so that a replay gives each client the batch or
  /// the separate lines it was first shown; `params` holds the combined text, which is what
  /// the search index reads. NULL for every other row.
  static func migrateV9Multiline(_ db: Database) throws {
    try db.execute(sql: "ALTER TABLE history ADD COLUMN lines TEXT")
  }
}
