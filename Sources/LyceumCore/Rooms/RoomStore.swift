/// Durable storage of registered rooms.
///
/// Implemented over SQLite in `LyceumStore` and in memory for tests. Calls may block on disk, so
/// the server makes them from a queue of their own, never from the core's queue; the core only
/// raises `CoreEvent.roomChanged` and `.roomDeleted`, and is given the rooms at start-up with
/// `IRCServerCore.restoreRooms(_:)`.
public protocol RoomStore: Sendable {
  /// Every stored room, sorted by folded name.
  func allRooms() throws -> [RoomRecord]
  /// Inserts the room or replaces the stored one with the same `foldedName`.
  func save(_ room: RoomRecord) throws
  /// Forgets the room; deleting a room that is not stored does nothing.
  func delete(foldedName: String) throws
}

/// Why a room store operation failed.
public enum RoomStoreError: Error, Equatable, Sendable {
  /// The underlying storage failed (disk, corruption); the text is for logs.
  case storage(String)
}

/// A `RoomStore` kept in memory, for tests and for servers run without a data directory.
///
/// `@unchecked Sendable`: every access goes through `lock`.
public final class InMemoryRoomStore: RoomStore, @unchecked Sendable {
  private let lock = SimpleLock()
  private var rooms: [String: RoomRecord] = [:]

  public init() {}

  public func allRooms() throws -> [RoomRecord] {
    lock.locked { rooms.values.sorted { $0.foldedName < $1.foldedName } }
  }

  public func save(_ room: RoomRecord) throws {
    lock.locked { rooms[room.foldedName] = room }
  }

  public func delete(foldedName: String) throws {
    lock.locked { _ = rooms.removeValue(forKey: foldedName) }
  }
}
