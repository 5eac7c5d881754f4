extension PostgresMigrations {
  /// Kept messages and events, with the same columns and the same meaning as SQLite's
  /// `history` (see `LyceumMigrations.migrateV2History`): `id` is history order (an identity,
  /// never reused), `time_key`/`message_time_key` the running maxima of the time that make a
  /// timestamp reference one index seek, `thread_root` the resolved thread of a reply.
  ///
  /// `search` is the text of a kept `PRIVMSG` or `NOTICE` as a `tsvector` of the house's words
  /// (`PostgresSearchText`), NULL for other rows, with a GIN index: the search index lives in
  /// the row, so whatever deletes a row (retention, a redaction) removes it from search in the
  /// same transaction, as SQLite's trigger does.
  static let v2History = [
    """
    CREATE TABLE history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      target text COLLATE "C" NOT NULL,
      msgid text COLLATE "C" NOT NULL,
      time_ms bigint NOT NULL,
      time_key bigint NOT NULL,
      message_time_key bigint,
      command text NOT NULL,
      source text NOT NULL,
      account text,
      client_tags text NOT NULL,
      params text NOT NULL,
      reply_to text COLLATE "C",
      is_event boolean NOT NULL,
      thread_root text COLLATE "C",
      lines text,
      search tsvector,
      UNIQUE (target, msgid))
    """,
    "CREATE INDEX history_by_target ON history (target, id)",
    "CREATE INDEX history_by_target_time ON history (target, time_key, id)",
    "CREATE INDEX history_messages_by_target ON history (target, id) WHERE NOT is_event",
    """
    CREATE INDEX history_messages_by_target_time ON history (target, message_time_key, id)
      WHERE NOT is_event
    """,
    """
    CREATE INDEX history_by_thread ON history (target, thread_root, id)
      WHERE thread_root IS NOT NULL
    """,
    "CREATE INDEX history_by_time ON history (time_ms)",
    "CREATE INDEX history_search ON history USING gin (search)",
  ]
}
