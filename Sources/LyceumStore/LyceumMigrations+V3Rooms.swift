import GRDB

extension LyceumMigrations {
  /// Registered rooms: one row per room with its topic and simple modes, its operators by
  /// account, and its `+b`/`+I` entries. Child rows cascade when a room is deleted; list entries
  /// keep their order by rowid.
  static func migrateV3Rooms(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE rooms (
          folded_name TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          owner TEXT NOT NULL,
          created_at_ms INTEGER NOT NULL,
          topic_text TEXT,
          topic_set_by TEXT,
          topic_set_at_ms INTEGER,
          invite_only INTEGER NOT NULL,
          channel_key TEXT,
          user_limit INTEGER,
          moderated INTEGER NOT NULL,
          no_external_messages INTEGER NOT NULL,
          secret INTEGER NOT NULL,
          topic_locked INTEGER NOT NULL
        );
        CREATE TABLE room_operators (
          room TEXT NOT NULL REFERENCES rooms(folded_name) ON DELETE CASCADE,
          account TEXT NOT NULL,
          PRIMARY KEY (room, account)
        );
        CREATE TABLE room_list_entries (
          room TEXT NOT NULL REFERENCES rooms(folded_name) ON DELETE CASCADE,
          kind TEXT NOT NULL CHECK (kind IN ('b', 'I')),
          mask TEXT NOT NULL,
          set_by TEXT NOT NULL,
          set_at_ms INTEGER NOT NULL
        );
        CREATE INDEX room_list_entries_by_room ON room_list_entries(room);
        """)
  }
}
