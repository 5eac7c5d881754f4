import GRDB

/// The schema's history, one named migration per step, applied in order and each only once.
///
/// Append new steps at the end of `steps`; never
/// edit or reorder a step that has shipped, because files in the field already recorded it in
/// GRDB's `grdb_migrations` table.
enum LyceumMigrations {
  /// `(identifier, migration)` in application order.
  static let steps: [(String, @Sendable (Database) throws -> Void)] = [
    ("v1-accounts", migrateV1Accounts),
    ("v2-history", migrateV2History),
    ("v3-rooms", migrateV3Rooms),
    ("v4-read-markers", migrateV4ReadMarkers),
    ("v5-threads", migrateV5Threads),
    ("v6-room-modes", migrateV6RoomModes),
    ("v7-search", migrateV7Search),
    ("v8-token-scram", migrateV8TokenSCRAM),
    ("v9-multiline", migrateV9Multiline),
    ("v10-room-directory", migrateV10RoomDirectory),
    ("v11-search-progress", migrateV11SearchProgress),
  ]

  /// A migrator registering every step.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    for (identifier, migrate) in steps {
      migrator.registerMigration(identifier, migrate: migrate)
    }
    return migrator
  }
}
