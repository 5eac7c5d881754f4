import LyceumCore
import LyceumStore

/// Appending a group of entries in two statements, whatever its size: one look-up of what the
/// group depends on (the targets' time keys, msgids already kept, the threads replies join),
/// then one `INSERT … SELECT FROM unnest(…)` of every row. Row by row, a group of a hundred
/// would be hundreds of round trips to the server inside the writer's transaction.
///
/// The rows are the ones SQLite's row-by-row insert writes: the time keys continue the
/// target's running maxima, an entry whose `(target, msgid)` is already kept (or earlier in the
/// group) is left out without raising them, and a reply joins the thread of a message kept
/// before it, in an earlier group or earlier in this one. A `REDACT` ends a segment: what came
/// before it is inserted first, so it can erase a message of its own group.
extension PostgresHistoryStore {
  /// The running maxima a new row of a target continues from (see `PostgresMigrations.v2History`).
  struct TimeKeys {
    var all: Int64?
    var messages: Int64?
  }

  /// A target key and a msgid.
  struct Key: Hashable {
    var target: String
    var msgid: String
  }

  static func insert(_ entries: [HistoryEntry], _ connection: PostgresConnection) throws {
    var keys: [String: TimeKeys] = [:]
    var segment: [HistoryEntry] = []
    for entry in entries {
      if entry.command == "REDACT", entry.params.count >= 2 {
        try insert(segment: segment, keys: &keys, connection)
        segment = []
        try erase(msgid: entry.params[1], in: entry.target.key, connection)
      }
      segment.append(entry)
    }
    try insert(segment: segment, keys: &keys, connection)
  }

  /// What the database already holds that a segment depends on.
  private struct Lookup {
    var keys: [String: TimeKeys] = [:]
    /// Every kept row among the segment's own msgids and its replies' parents.
    var kept: Set<Key> = []
    /// The thread a reply to a kept message (not an event) joins: its root, or the message.
    var roots: [Key: String] = [:]
  }

  private static func insert(
    segment: [HistoryEntry], keys: inout [String: TimeKeys], _ connection: PostgresConnection
  ) throws {
    guard !segment.isEmpty else { return }
    let newTargets = Array(Set(segment.map(\.target.key)).filter { keys[$0] == nil })
    var probes = segment.map { Key(target: $0.target.key, msgid: $0.msgid) }
    probes += segment.compactMap { entry in
      entry.replyTo.map { Key(target: entry.target.key, msgid: $0) }
    }
    let found = try lookup(targets: newTargets, keys: probes, connection)
    keys.merge(found.keys) { current, _ in current }
    var seen = found.kept
    var threads: [Key: String] = [:]
    var rows = HistoryRows()
    for entry in segment {
      let target = entry.target.key
      let key = Key(target: target, msgid: entry.msgid)
      guard seen.insert(key).inserted else { continue }
      var current = keys[target] ?? TimeKeys()
      let timeKey = max(current.all ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let messageTimeKey: Int64? =
        entry.isEvent
        ? nil : max(current.messages ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let root = entry.replyTo.flatMap { parent in
        let parentKey = Key(target: target, msgid: parent)
        return threads[parentKey] ?? found.roots[parentKey]
      }
      if !entry.isEvent { threads[key] = root ?? entry.msgid }
      rows.append(entry, timeKey: timeKey, messageTimeKey: messageTimeKey, threadRoot: root)
      current.all = timeKey
      if let messageTimeKey { current.messages = messageTimeKey }
      keys[target] = current
    }
    try rows.insert(connection)
  }

  /// One statement: the time keys of `targets`, and the kept rows among `keys`.
  private static func lookup(
    targets: [String], keys: [Key], _ connection: PostgresConnection
  ) throws -> Lookup {
    let rows = try connection.query(
      """
      SELECT 0, u.target, (SELECT max(time_key) FROM history WHERE target = u.target),
        (SELECT max(message_time_key) FROM history WHERE target = u.target AND NOT is_event),
        NULL, NULL
      FROM unnest($1::text[]) AS u (target)
      UNION ALL
      SELECT 1, h.target, NULL, NULL, h.msgid,
        CASE WHEN h.is_event THEN NULL ELSE coalesce(h.thread_root, h.msgid) END
      FROM history AS h
      JOIN (SELECT DISTINCT * FROM unnest($2::text[], $3::text[])) AS p (target, msgid)
        ON h.target = p.target AND h.msgid = p.msgid
      """,
      [
        PostgresValue.array(targets), PostgresValue.array(keys.map(\.target)),
        PostgresValue.array(keys.map(\.msgid)),
      ])
    var found = Lookup()
    for row in rows.rows {
      let target = try row.text(1)
      if try row.int(0) == 0 {
        found.keys[target] = TimeKeys(all: try row.optionalInt(2), messages: try row.optionalInt(3))
      } else {
        let key = Key(target: target, msgid: try row.text(4))
        found.kept.insert(key)
        if let root = row.optionalText(5) { found.roots[key] = root }
      }
    }
    return found
  }
}
