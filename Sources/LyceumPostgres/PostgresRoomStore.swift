import LyceumCore

/// The `RoomStore` on PostgreSQL: registered rooms in `PostgresDatabase`.
///
/// Behaves like `InMemoryRoomStore` (the reference) and `SQLiteRoomStore`: `save` replaces the
/// room's row, operators and list entries in one transaction, so a half-written room is never
/// visible; any failure becomes `RoomStoreError.storage` with PostgreSQL's message.
public final class PostgresRoomStore: RoomStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: PostgresDatabase

  public init(database: PostgresDatabase) {
    self.database = database
  }

  public func allRooms() throws -> [RoomRecord] {
    try storing {
      try database.read { connection in
        var operators: [String: Set<String>] = [:]
        for row in try connection.query("SELECT room, account FROM room_operators").rows {
          operators[try row.text(0), default: []].insert(try row.text(1))
        }
        // Entries by room, then by kind (`b`, `e`, `I`), in the order they were set.
        var lists: [String: [String: [ListEntry]]] = [:]
        for row in try connection.query(
          "SELECT room, kind, mask, set_by, set_at_ms FROM room_list_entries ORDER BY position"
        ).rows {
          let entry = ListEntry(
            mask: try row.text(2), setBy: try row.text(3), setAtMilliseconds: try row.int(4))
          lists[try row.text(0), default: [:]][try row.text(1), default: []].append(entry)
        }
        return try connection.query("SELECT \(Self.columns) FROM rooms").rows.map { row in
          let folded = try row.text(0)
          return try Self.room(
            from: row, operators: operators[folded] ?? [], lists: lists[folded] ?? [:])
        }
        // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
        .sorted { $0.foldedName < $1.foldedName }
      }
    }
  }

  public func save(_ room: RoomRecord) throws {
    try storing {
      try database.write { connection in
        try Self.upsert(room, connection)
        try connection.query("DELETE FROM room_operators WHERE room = $1", [room.foldedName])
        for account in room.operatorAccounts.sorted() {
          try connection.query(
            "INSERT INTO room_operators (room, account) VALUES ($1, $2)",
            [room.foldedName, account])
        }
        try connection.query("DELETE FROM room_list_entries WHERE room = $1", [room.foldedName])
        let entries =
          room.bans.map { ("b", $0) } + room.banExceptions.map { ("e", $0) }
          + room.inviteExceptions.map { ("I", $0) }
        for (kind, entry) in entries {
          try connection.query(
            """
            INSERT INTO room_list_entries (room, kind, mask, set_by, set_at_ms)
            VALUES ($1, $2, $3, $4, $5)
            """,
            [room.foldedName, kind, entry.mask, entry.setBy, entry.setAtMilliseconds])
        }
      }
    }
  }

  public func delete(foldedName: String) throws {
    try storing {
      try database.write { connection in
        try connection.query("DELETE FROM rooms WHERE folded_name = $1", [foldedName])
      }
    }
  }

  /// The columns `room(from:operators:lists:)` reads, in its order (and `upsert` writes).
  private static let columns = """
    folded_name, name, owner, created_at_ms, topic_text, topic_set_by, topic_set_at_ms,
    invite_only, channel_key, user_limit, moderated, no_external_messages, secret, topic_locked,
    no_ctcp, description, kind
    """

  private static func upsert(_ room: RoomRecord, _ connection: PostgresConnection) throws {
    let modes = room.modes
    try connection.query(
      """
      INSERT INTO rooms (\(columns))
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
      ON CONFLICT (folded_name) DO UPDATE SET name = excluded.name, owner = excluded.owner,
        created_at_ms = excluded.created_at_ms, topic_text = excluded.topic_text,
        topic_set_by = excluded.topic_set_by, topic_set_at_ms = excluded.topic_set_at_ms,
        invite_only = excluded.invite_only, channel_key = excluded.channel_key,
        user_limit = excluded.user_limit, moderated = excluded.moderated,
        no_external_messages = excluded.no_external_messages, secret = excluded.secret,
        topic_locked = excluded.topic_locked, no_ctcp = excluded.no_ctcp,
        description = excluded.description, kind = excluded.kind
      """,
      [
        room.foldedName, room.name, room.owner, room.createdAtMilliseconds, room.topic?.text,
        room.topic?.setBy, room.topic?.setAtMilliseconds, modes.inviteOnly, modes.key,
        modes.limit, modes.moderated, modes.noExternalMessages, modes.secret, modes.topicLocked,
        modes.noCTCP, room.description, room.kind?.rawValue,
      ])
  }

  private static func room(
    from row: PostgresRow, operators: Set<String>, lists: [String: [ListEntry]]
  ) throws -> RoomRecord {
    var topic: Topic?
    if let text = row.optionalText(4) {
      topic = Topic(
        text: text, setBy: row.optionalText(5) ?? "",
        setAtMilliseconds: try row.optionalInt(6) ?? 0)
    }
    var modes = ChannelModes()
    modes.inviteOnly = try row.bool(7)
    modes.key = row.optionalText(8)
    modes.limit = try row.optionalInt(9).map { Int($0) }
    modes.moderated = try row.bool(10)
    modes.noExternalMessages = try row.bool(11)
    modes.secret = try row.bool(12)
    modes.topicLocked = try row.bool(13)
    modes.noCTCP = try row.bool(14)
    return RoomRecord(
      name: try row.text(1), foldedName: try row.text(0), owner: try row.text(2),
      operatorAccounts: operators, topic: topic, modes: modes, bans: lists["b"] ?? [],
      inviteExceptions: lists["I"] ?? [], banExceptions: lists["e"] ?? [],
      createdAtMilliseconds: try row.int(3), description: row.optionalText(15),
      kind: row.optionalText(16).flatMap(RoomKind.init(rawValue:)))
  }

  /// Runs `body`, turning every failure into `RoomStoreError.storage`.
  @discardableResult
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
