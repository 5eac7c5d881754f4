import GRDB

extension LyceumMigrations {
  /// Research threads (`lyceum.chat/threads`): `thread_root` is the msgid of the thread a reply
  /// belongs to, resolved when the reply is kept (see `HistoryThread`): the root of the message
  /// it answers when that is a reply itself, else that message; NULL for an entry that is no
  /// reply, or whose `reply_to` names no kept message of the same target.
  ///
  /// `history_by_thread` covers only replies: listing a room's threads reads the room's replies
  /// (not its other messages), and one thread's entries are one range of that index.
  ///
  /// Rows kept before this step are threaded here, in history order, by the same rule.
  static func migrateV5Threads(_ db: Database) throws {
    try db.execute(
      sql: """
        ALTER TABLE history ADD COLUMN thread_root TEXT;
        CREATE INDEX history_by_thread ON history(target, thread_root, id)
          WHERE thread_root IS NOT NULL;
        """)
    let replies = try Row.fetchAll(
      db, sql: "SELECT id, target, reply_to FROM history WHERE reply_to IS NOT NULL ORDER BY id")
    let update = try db.makeStatement(sql: "UPDATE history SET thread_root = ? WHERE id = ?")
    for row in replies {
      let id: Int64 = row[0]
      guard
        let root = try SQLiteHistoryStore.threadRoot(
          replyingTo: row[2], in: row[1], before: id, db)
      else { continue }
      try update.execute(arguments: [root, id])
    }
  }
}
