import GRDB
import LyceumCore

/// Writing and reading history rows; every function runs inside the caller's transaction.
extension SQLiteHistoryStore {
  /// The running maxima a new row of a target continues from (see `migrateV2History`).
  struct TimeKeys {
    var all: Int64?
    var messages: Int64?
  }

  static func insert(_ entries: [HistoryEntry], _ db: Database) throws {
    let insert = try db.cachedStatement(
      sql: """
        INSERT OR IGNORE INTO history (target, msgid, time_ms, time_key, message_time_key,
          command, source, account, client_tags, params, reply_to, is_event)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    var keys: [String: TimeKeys] = [:]
    for entry in entries {
      let target = entry.target.key
      var current = try keys[target] ?? timeKeys(of: target, db)
      let isEvent = entry.isEvent
      let timeKey = max(current.all ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let messageTimeKey: Int64? =
        isEvent ? nil : max(current.messages ?? entry.timeMilliseconds, entry.timeMilliseconds)
      try insert.execute(arguments: [
        target, entry.msgid, entry.timeMilliseconds, timeKey, messageTimeKey, entry.command,
        entry.source, entry.account, HistoryCoding.encode(tags: entry.clientTags),
        HistoryCoding.encode(params: entry.params), entry.replyTo, isEvent,
      ])
      if db.changesCount > 0 {
        current.all = timeKey
        if let messageTimeKey { current.messages = messageTimeKey }
      }
      keys[target] = current
    }
  }

  /// The target's running maxima so far: two seeks to the ends of its time indexes.
  static func timeKeys(of target: String, _ db: Database) throws -> TimeKeys {
    let all = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT max(time_key) FROM history WHERE target = ?"),
      arguments: [target])
    let messages = try Int64.fetchOne(
      db.cachedStatement(
        sql: "SELECT max(message_time_key) FROM history WHERE target = ? AND is_event = 0"),
      arguments: [target])
    return TimeKeys(all: all, messages: messages)
  }

  /// The columns `entry(from:target:)` reads, in its order.
  static let columns =
    "id, msgid, time_ms, command, source, account, client_tags, params, reply_to"

  /// The entry of a row selected with `columns`; the target is the query's.
  static func entry(from row: Row, target: HistoryTarget) throws -> HistoryEntry {
    HistoryEntry(
      msgid: row[1], timeMilliseconds: row[2], target: target, command: row[3], source: row[4],
      account: row[5], clientTags: HistoryCoding.decodeTags(row[6]),
      params: try HistoryCoding.decodeParams(row[7]), replyTo: row[8])
  }
}
