import GRDB

extension LyceumMigrations {
  /// Kept messages and events (`CHATHISTORY`), one row per entry and target.
  ///
  /// `id` is the order of the history: entries are appended in msgid order (the server's msgids
  /// increase), and `AUTOINCREMENT` keeps ids increasing even after the newest rows are deleted.
  /// Every selection is a range of ids within one target, read from an index on `(target, id)`:
  /// `LATEST 100` is one descending range scan with `LIMIT 100`, whatever the target's size.
  ///
  /// `time_key` is the running maximum of `time_ms` over the target's rows up to and including
  /// this one, so it never decreases with `id`, even if the wall clock stepped back. The first
  /// row whose `time_ms` is at or after a time is then the first row whose `time_key` is, which
  /// one seek in `(target, time_key)` finds: timestamp references resolve exactly as
  /// `HistorySelection` resolves them, without scanning. `message_time_key` is the same over the
  /// target's messages only (NULL for events), for clients without `draft/event-playback`; the
  /// partial indexes over `is_event = 0` let those clients skip events without scanning them.
  ///
  /// `client_tags` holds the tag section in IRCv3 wire form (`+a=1;+b`), `params` the
  /// parameters length-prefixed (`5:hello7:a b: c`), see `HistoryCoding`.
  static func migrateV2History(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE history (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          target TEXT NOT NULL,
          msgid TEXT NOT NULL,
          time_ms INTEGER NOT NULL,
          time_key INTEGER NOT NULL,
          message_time_key INTEGER,
          command TEXT NOT NULL,
          source TEXT NOT NULL,
          account TEXT,
          client_tags TEXT NOT NULL,
          params TEXT NOT NULL,
          reply_to TEXT,
          is_event INTEGER NOT NULL,
          UNIQUE (target, msgid)
        );
        CREATE INDEX history_by_target ON history(target, id);
        CREATE INDEX history_by_target_time ON history(target, time_key);
        CREATE INDEX history_messages_by_target ON history(target, id) WHERE is_event = 0;
        CREATE INDEX history_messages_by_target_time
          ON history(target, message_time_key) WHERE is_event = 0;
        CREATE INDEX history_by_reply ON history(reply_to) WHERE reply_to IS NOT NULL;
        CREATE INDEX history_by_time ON history(time_ms);
        """)
  }
}
