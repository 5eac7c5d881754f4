import LyceumCore
import LyceumStore

/// Writing and reading history rows; every function runs inside the caller's transaction.
extension PostgresHistoryStore {
  /// The running maxima a new row of a target continues from (see `PostgresMigrations.v2History`).
  struct TimeKeys {
    var all: Int64?
    var messages: Int64?
  }

  static func insert(_ entries: [HistoryEntry], _ connection: PostgresConnection) throws {
    var keys: [String: TimeKeys] = [:]
    for entry in entries {
      let target = entry.target.key
      if entry.command == "REDACT", entry.params.count >= 2 {
        try erase(msgid: entry.params[1], in: target, connection)
      }
      var current = try keys[target] ?? timeKeys(of: target, connection)
      let isEvent = entry.isEvent
      let timeKey = max(current.all ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let messageTimeKey: Int64? =
        isEvent ? nil : max(current.messages ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let indexed = entry.command == "PRIVMSG" || entry.command == "NOTICE"
      let search = indexed ? searchVector(entry.params) : nil
      let root = try entry.replyTo.flatMap {
        try threadRoot(replyingTo: $0, in: target, connection)
      }
      let inserted = try connection.query(
        """
        INSERT INTO history (target, msgid, time_ms, time_key, message_time_key, command, source,
          account, client_tags, params, reply_to, is_event, thread_root, lines, search)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::tsvector)
        ON CONFLICT (target, msgid) DO NOTHING
        """,
        [
          target, entry.msgid, entry.timeMilliseconds, timeKey, messageTimeKey, entry.command,
          entry.source, entry.account, HistoryCoding.encode(tags: entry.clientTags),
          HistoryCoding.encode(params: entry.params), entry.replyTo, isEvent, root,
          entry.lines.map { HistoryCoding.encode(lines: $0) }, search,
        ])
      if inserted.affected > 0 {
        current.all = timeKey
        if let messageTimeKey { current.messages = messageTimeKey }
      }
      keys[target] = current
    }
  }

  /// The search vector of a message's text (its last parameter), nil for a message without one
  /// (which then is no search candidate, as in SQLite).
  private static func searchVector(_ params: [String]) -> String? {
    guard params.count >= 2, let text = params.last else { return nil }
    return PostgresSearchText.vector(text)
  }

  /// Erases a redacted message: its row goes, and its search vector with it, so no read,
  /// search or export serves its text.
  static func erase(msgid: String, in target: String, _ connection: PostgresConnection) throws {
    try connection.query(
      """
      DELETE FROM history
      WHERE target = $1 AND msgid = $2 AND command IN ('PRIVMSG', 'NOTICE', 'TAGMSG')
      """,
      [target, msgid])
  }

  /// The root of the thread a reply to `parent` in `target` joins: the parent's own root when
  /// it is a reply, else the parent; nil when the parent is not a kept message of `target`.
  static func threadRoot(
    replyingTo parent: String, in target: String, _ connection: PostgresConnection
  ) throws -> String? {
    try connection.query(
      """
      SELECT coalesce(thread_root, msgid) FROM history
      WHERE target = $1 AND msgid = $2 AND NOT is_event
      """,
      [target, parent]
    ).first?.text(0)
  }

  /// The target's running maxima so far: two seeks to the ends of its time indexes.
  static func timeKeys(of target: String, _ connection: PostgresConnection) throws -> TimeKeys {
    let row = try connection.query(
      """
      SELECT (SELECT max(time_key) FROM history WHERE target = $1),
        (SELECT max(message_time_key) FROM history WHERE target = $1 AND NOT is_event)
      """,
      [target]
    ).first
    return TimeKeys(all: try row?.optionalInt(0), messages: try row?.optionalInt(1))
  }

  /// The columns `entry(from:offset:target:)` reads, in its order.
  static let columns =
    "id, msgid, time_ms, command, source, account, client_tags, params, reply_to, lines"

  /// `columns`, each prefixed with a table alias (`r.id, r.msgid, …`).
  static func qualifiedColumns(_ alias: String) -> String {
    columns.split(separator: ",").map { "\(alias).\($0.filter { $0 != " " })" }
      .joined(separator: ", ")
  }

  /// The entry of a row selected with `columns` (from column `offset` on).
  static func entry(from row: PostgresRow, offset: Int = 0, target: HistoryTarget) throws
    -> HistoryEntry
  {
    HistoryEntry(
      msgid: try row.text(offset + 1), timeMilliseconds: try row.int(offset + 2),
      target: target, command: try row.text(offset + 3), source: try row.text(offset + 4),
      account: row.optionalText(offset + 5),
      clientTags: HistoryCoding.decodeTags(try row.text(offset + 6)),
      params: try HistoryCoding.decodeParams(try row.text(offset + 7)),
      replyTo: row.optionalText(offset + 8),
      lines: try row.optionalText(offset + 9).map(HistoryCoding.decodeLines))
  }
}
