import LyceumCore
import LyceumStore

/// Erasing and reading history rows; every function runs inside the caller's transaction.
extension PostgresHistoryStore {
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
