extension PostgresMigrations {
  /// Registered rooms as SQLite keeps them after its `v10`: topic, simple modes, description
  /// and kind in one row; operators by account; `+b`, `+e`, `+I` entries in the order they
  /// were set (`position`). Child rows go with their room.
  static let v3Rooms = [
    """
    CREATE TABLE rooms (
      folded_name text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      owner text NOT NULL,
      created_at_ms bigint NOT NULL,
      topic_text text,
      topic_set_by text,
      topic_set_at_ms bigint,
      invite_only boolean NOT NULL,
      channel_key text,
      user_limit bigint,
      moderated boolean NOT NULL,
      no_external_messages boolean NOT NULL,
      secret boolean NOT NULL,
      topic_locked boolean NOT NULL,
      no_ctcp boolean NOT NULL,
      description text,
      kind text CHECK (kind IS NULL OR kind IN ('exchange', 'research', 'announcements', 'social')))
    """,
    """
    CREATE TABLE room_operators (
      room text COLLATE "C" NOT NULL REFERENCES rooms (folded_name) ON DELETE CASCADE,
      account text COLLATE "C" NOT NULL,
      PRIMARY KEY (room, account))
    """,
    """
    CREATE TABLE room_list_entries (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      room text COLLATE "C" NOT NULL REFERENCES rooms (folded_name) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('b', 'e', 'I')),
      mask text NOT NULL,
      set_by text NOT NULL,
      set_at_ms bigint NOT NULL)
    """,
    "CREATE INDEX room_list_entries_by_room ON room_list_entries (room, position)",
  ]
}
