import GRDB
import LyceumCore

extension LyceumMigrations {
  /// Message search (`SEARCH`): an FTS5 index of the text of every kept `PRIVMSG` and
  /// `NOTICE`, one row per history row (`rowid` = `history.id`).
  ///
  /// `body` is the message text in `SearchText.indexForm` (scripts written without spaces
  /// split into characters), tokenized by `unicode61` with diacritics removed, so `café`,
  /// `Cafe` and `CAFÉ` are one word. `scope` holds one token naming the target
  /// (`SQLiteHistoryStore.scopeToken`), so a search in one room is an intersection of two
  /// posting lists inside the index rather than a walk over every match on the server.
  ///
  /// Rows are added by the store's writer (in the transaction that kept the message until
  /// `v11-search-progress`; in batches since, see `SQLiteHistoryStore+SearchIndexing.swift`), and
  /// removed by the trigger whenever a history row is deleted (retention), in the same
  /// transaction; the index never holds what history does not. History kept before this step is
  /// indexed here.
  static func migrateV7Search(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE VIRTUAL TABLE history_search USING fts5(
          body, scope, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER history_search_forget AFTER DELETE ON history BEGIN
          DELETE FROM history_search WHERE rowid = old.id;
        END;
        """)
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT id, target, params FROM history
        WHERE is_event = 0 AND command IN ('PRIVMSG', 'NOTICE') ORDER BY id
        """)
    while let row = try rows.next() {
      try SQLiteHistoryStore.index(
        id: row[0], target: row[1], params: try HistoryCoding.decodeParams(row[2]), db)
    }
  }
}
