import GRDB
import LyceumCore

/// Writing and reading history rows; every function runs inside the caller's transaction.
extension SQLiteHistoryStore {
  /// The running maxima a new row of a target continues from (see `migrateV2History`).
  struct TimeKeys {
    var all: Int64?
    var messages: Int64?
  }

  /// The running maxima of the targets written lately, kept by the writer between its
  /// transactions, and the marks that tell whether anything else wrote since (then they are
  /// dropped, and `insert` reads them from the indexes again).
  ///
  /// Why: reading a target's two maxima (`timeKeys(of:_:)`) for every commit was about a tenth
  /// of a lone kept line's commit, with every cache cold (`perf probe` on the writer's `write`,
  /// `fanout --clients 200 --senders 1 --rate 10`, four runs each: a median of 223–253 µs per
  /// commit reading them, 202–225 µs keeping them).
  ///
  /// Only a write that adds a newer row can make a kept maximum wrong, so any other write to
  /// the file drops them. A maximum lowered by a deletion (retention, a redaction of the newest
  /// message) may stay kept: every later row is still ordered after the rows left.
  struct RunningTimeKeys {
    var keys: [String: TimeKeys] = [:]
    /// `PRAGMA data_version` when they were noted: it changes when another connection (another
    /// process) commits to the file.
    var dataVersion: Int64 = -1
    /// The writer connection's count of changed rows after the writer's last transaction: it
    /// changes when anything else writes through the same connection (retention, another store
    /// or `SQLiteHistoryStore` on the same `LyceumDatabase`).
    var changesOnConnection = -1

    /// Most targets kept: every channel and every pair of people who wrote to each other is a
    /// target, so a server that ran long without any other write (retention, idle indexing)
    /// would otherwise keep one entry for each; past this, they start over.
    static let limit = 10_000

    /// Drops the maxima unless nothing but this writer has written since they were noted (and
    /// there are not too many); on `db`, inside the write transaction.
    mutating func validate(_ db: Database) throws {
      let version =
        try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? dataVersion
      if version != dataVersion || db.totalChangesCount != changesOnConnection
        || keys.count > Self.limit
      {
        self = RunningTimeKeys(dataVersion: version)
      }
    }
  }

  /// Inserts `entries` (an entry already kept is ignored); returns how many messages it kept
  /// that the search index will take (see `SQLiteHistoryStore+SearchIndexing.swift`). `keys`
  /// holds the targets' running maxima known so far, and is left with the new ones.
  @discardableResult
  static func insert(
    _ entries: [HistoryEntry], _ db: Database, keys: inout [String: TimeKeys]
  ) throws -> Int {
    let insert = try db.cachedStatement(
      sql: """
        INSERT OR IGNORE INTO history (target, msgid, time_ms, time_key, message_time_key,
          command, source, account, client_tags, params, reply_to, is_event, thread_root, lines)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    var searchable = 0
    for entry in entries {
      let target = entry.target.key
      if entry.command == "REDACT", entry.params.count >= 2 {
        try erase(msgid: entry.params[1], in: target, db)
      }
      var current = try keys[target] ?? timeKeys(of: target, db)
      let isEvent = entry.isEvent
      let timeKey = max(current.all ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let messageTimeKey: Int64? =
        isEvent ? nil : max(current.messages ?? entry.timeMilliseconds, entry.timeMilliseconds)
      let root = try entry.replyTo.flatMap {
        try threadRoot(replyingTo: $0, in: target, before: nil, db)
      }
      let lines: DirectBinding.Value =
        entry.lines.map { .text(HistoryCoding.encode(lines: $0)) } ?? .null
      let values: [DirectBinding.Value] = [
        .text(target), .text(entry.msgid), .integer(entry.timeMilliseconds), .integer(timeKey),
        .optional(messageTimeKey), .text(entry.command), .text(entry.source),
        .optional(entry.account), .text(HistoryCoding.encode(tags: entry.clientTags)),
        .text(HistoryCoding.encode(params: entry.params)), .optional(entry.replyTo),
        .integer(isEvent ? 1 : 0), .optional(root), lines,
      ]
      try DirectBinding.run(insert, values, db)
      if db.changesCount > 0 {
        if entry.command == "PRIVMSG" || entry.command == "NOTICE" { searchable += 1 }
        current.all = timeKey
        if let messageTimeKey { current.messages = messageTimeKey }
      }
      keys[target] = current
    }
    return searchable
  }

  /// Erases a redacted message: its row goes (the `history_search_forget` trigger drops its
  /// search entry in the same transaction), so no read, search or export serves its text.
  static func erase(msgid: String, in target: String, _ db: Database) throws {
    try db.cachedStatement(
      sql: """
        DELETE FROM history
        WHERE target = ? AND msgid = ? AND command IN ('PRIVMSG', 'NOTICE', 'TAGMSG')
        """
    ).execute(arguments: [target, msgid])
  }

  /// Adds a kept message's text to the search index (see `migrateV7Search`).
  static func index(id: Int64, target: String, params: [String], _ db: Database) throws {
    guard params.count >= 2, let text = params.last else { return }
    let insert = try db.cachedStatement(
      sql: "INSERT INTO history_search (rowid, body, scope) VALUES (?, ?, ?)")
    try DirectBinding.run(
      insert, [.integer(id), .text(SearchText.indexForm(text)), .text(scopeToken(target))], db)
  }

  /// The one token of a target in the index's `scope` column: `t` and the target key's UTF-8
  /// bytes in hexadecimal, which `unicode61` keeps as one word whatever the key holds.
  static func scopeToken(_ target: String) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [UInt8(ascii: "t")]
    for byte in target.utf8 {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The root of the thread a reply to `parent` in `target` joins: the parent's own root when
  /// it is a reply, else the parent; nil when the parent is not a kept message of `target`
  /// (with an id below `before`, when given). One seek in `UNIQUE (target, msgid)`.
  static func threadRoot(
    replyingTo parent: String, in target: String, before: Int64?, _ db: Database
  ) throws -> String? {
    try String.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT coalesce(thread_root, msgid) FROM history
          WHERE target = ? AND msgid = ? AND is_event = 0 AND id < ?
          """),
      arguments: [target, parent, before ?? Int64.max])
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
    "id, msgid, time_ms, command, source, account, client_tags, params, reply_to, lines"

  /// `columns`, each prefixed with a table alias (`r.id, r.msgid, …`).
  static func qualifiedColumns(_ alias: String) -> String {
    columns.split(separator: ",").map { "\(alias).\($0.filter { $0 != " " })" }
      .joined(separator: ", ")
  }

  /// The entry of a row selected with `columns` (from column `offset` on); the target is the
  /// query's.
  static func entry(from row: Row, offset: Int = 0, target: HistoryTarget) throws -> HistoryEntry {
    HistoryEntry(
      msgid: row[offset + 1], timeMilliseconds: row[offset + 2], target: target,
      command: row[offset + 3], source: row[offset + 4], account: row[offset + 5],
      clientTags: HistoryCoding.decodeTags(row[offset + 6]),
      params: try HistoryCoding.decodeParams(row[offset + 7]), replyTo: row[offset + 8],
      lines: try (row[offset + 9] as String?).map(HistoryCoding.decodeLines))
  }
}
