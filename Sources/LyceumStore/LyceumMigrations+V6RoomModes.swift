import GRDB

extension LyceumMigrations {
  /// `+C` (no CTCP) as a room column, and `+e` ban exceptions in the list entries: the table is
  /// rebuilt because SQLite cannot change its `CHECK` of the entry kinds; rows keep their
  /// order (rowid).
  static func migrateV6RoomModes(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE rooms ADD COLUMN no_ctcp INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE room_list_entries_v6 (
          room TEXT NOT NULL REFERENCES rooms(folded_name) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('b', 'e', 'I')),
          mask TEXT NOT NULL,
          set_by TEXT NOT NULL,
          set_at_ms INTEGER NOT NULL
        );
        INSERT INTO room_list_entries_v6 (rowid, room, kind, mask, set_by, set_at_ms)
          SELECT rowid, room, kind, mask, set_by, set_at_ms FROM room_list_entries;
        DROP TABLE room_list_entries;
        ALTER TABLE room_list_entries_v6 RENAME TO room_list_entries;
        CREATE INDEX room_list_entries_by_room ON room_list_entries(room);
        """)
  }
}
