import GRDB

extension LyceumMigrations {
  /// A registered room's description and kind (`ROOM SET`), for the room directory; both
  /// optional, so existing rooms keep working unchanged.
  static func migrateV10RoomDirectory(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE rooms ADD COLUMN description TEXT;
        ALTER TABLE rooms ADD COLUMN kind TEXT
          CHECK (kind IS NULL OR kind IN ('exchange', 'research', 'announcements', 'social'));
        """)
  }
}
