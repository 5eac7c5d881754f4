import GRDB
import LyceumCore

/// The `RoomStore` of a running server: registered rooms in `LyceumDatabase`.
///
/// Behaves like `InMemoryRoomStore` (the reference). `save` replaces the room's row, operators
/// and list entries in one transaction, so a half-written room is never visible; any SQLite
/// failure becomes `RoomStoreError.storage` with the error's text.
public final class SQLiteRoomStore: RoomStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: LyceumDatabase

  public init(database: LyceumDatabase) {
    self.database = database
  }

  public func allRooms() throws -> [RoomRecord] {
    try storing {
      try database.pool.read { db in
        var operators: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT room, account FROM room_operators") {
          operators[row["room"], default: []].insert(row["account"])
        }
        // Entries by room, then by kind (`b`, `e`, `I`), in the order they were set.
        var lists: [String: [String: [ListEntry]]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM room_list_entries ORDER BY rowid") {
          let entry = ListEntry(
            mask: row["mask"], setBy: row["set_by"], setAtMilliseconds: row["set_at_ms"])
          lists[row["room"], default: [:]][row["kind"], default: []].append(entry)
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM rooms").map { row in
          let folded: String = row["folded_name"]
          return Self.room(
            from: row, operators: operators[folded] ?? [], lists: lists[folded] ?? [:])
        }
        // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
        .sorted { $0.foldedName < $1.foldedName }
      }
    }
  }

  public func save(_ room: RoomRecord) throws {
    try storing {
      try database.pool.write { db in
        try Self.upsert(room, db)
        try db.execute(
          sql: "DELETE FROM room_operators WHERE room = ?", arguments: [room.foldedName])
        for account in room.operatorAccounts.sorted() {
          try db.execute(
            sql: "INSERT INTO room_operators (room, account) VALUES (?, ?)",
            arguments: [room.foldedName, account])
        }
        try db.execute(
          sql: "DELETE FROM room_list_entries WHERE room = ?", arguments: [room.foldedName])
        let entries =
          room.bans.map { ("b", $0) } + room.banExceptions.map { ("e", $0) }
          + room.inviteExceptions.map { ("I", $0) }
        for (kind, entry) in entries {
          try db.execute(
            sql: """
              INSERT INTO room_list_entries (room, kind, mask, set_by, set_at_ms)
              VALUES (?, ?, ?, ?, ?)
              """,
            arguments: [room.foldedName, kind, entry.mask, entry.setBy, entry.setAtMilliseconds])
        }
      }
    }
  }

  public func delete(foldedName: String) throws {
    try storing {
      try database.pool.write { db in
        try db.execute(sql: "DELETE FROM rooms WHERE folded_name = ?", arguments: [foldedName])
      }
    }
  }

  private static func upsert(_ room: RoomRecord, _ db: Database) throws {
    let modes = room.modes
    try db.execute(
      sql: """
        INSERT INTO rooms (folded_name, name, owner, created_at_ms, topic_text, topic_set_by,
          topic_set_at_ms, invite_only, channel_key, user_limit, moderated, no_external_messages,
          secret, topic_locked, no_ctcp, description, kind)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (folded_name) DO UPDATE SET name = excluded.name, owner = excluded.owner,
          created_at_ms = excluded.created_at_ms, topic_text = excluded.topic_text,
          topic_set_by = excluded.topic_set_by, topic_set_at_ms = excluded.topic_set_at_ms,
          invite_only = excluded.invite_only, channel_key = excluded.channel_key,
          user_limit = excluded.user_limit, moderated = excluded.moderated,
          no_external_messages = excluded.no_external_messages, secret = excluded.secret,
          topic_locked = excluded.topic_locked, no_ctcp = excluded.no_ctcp,
          description = excluded.description, kind = excluded.kind
        """,
      arguments: [
        room.foldedName, room.name, room.owner, room.createdAtMilliseconds, room.topic?.text,
        room.topic?.setBy, room.topic?.setAtMilliseconds, modes.inviteOnly, modes.key,
        modes.limit, modes.moderated, modes.noExternalMessages, modes.secret, modes.topicLocked,
        modes.noCTCP, room.description, room.kind?.rawValue,
      ])
  }

  private static func room(
    from row: Row, operators: Set<String>, lists: [String: [ListEntry]]
  ) -> RoomRecord {
    var topic: Topic?
    if let text: String = row["topic_text"] {
      topic = Topic(
        text: text, setBy: row["topic_set_by"] ?? "", setAtMilliseconds: row["topic_set_at_ms"] ?? 0
      )
    }
    var modes = ChannelModes()
    modes.inviteOnly = row["invite_only"]
    modes.key = row["channel_key"]
    modes.limit = row["user_limit"]
    modes.moderated = row["moderated"]
    modes.noExternalMessages = row["no_external_messages"]
    modes.secret = row["secret"]
    modes.topicLocked = row["topic_locked"]
    modes.noCTCP = row["no_ctcp"]
    return RoomRecord(
      name: row["name"], foldedName: row["folded_name"], owner: row["owner"],
      operatorAccounts: operators, topic: topic, modes: modes, bans: lists["b"] ?? [],
      inviteExceptions: lists["I"] ?? [], banExceptions: lists["e"] ?? [],
      createdAtMilliseconds: row["created_at_ms"], description: row["description"],
      kind: (row["kind"] as String?).flatMap(RoomKind.init(rawValue:)))
  }

  /// Runs `body`, turning every failure into `RoomStoreError.storage`.
  private func storing<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as RoomStoreError {
      throw error
    } catch {
      throw RoomStoreError.storage(String(describing: error))
    }
  }
}
