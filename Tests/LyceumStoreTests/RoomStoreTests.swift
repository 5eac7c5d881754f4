import Foundation
import LyceumCore
import LyceumPostgres
import Testing

@testable import LyceumStore

/// The `RoomStore` contract, run against every implementation: the SQLite store must behave
/// exactly like the in-memory reference. Then what only the SQLite store can show: rooms
/// survive reopening the file, and the schema step that holds them.
@Suite struct RoomStoreTests {
  /// Runs `body` with a new, empty room store of `kind`.
  func withStore(_ kind: StoreKind, _ body: (any RoomStore) throws -> Void) throws {
    switch kind {
    case .inMemory:
      try body(InMemoryRoomStore())
    case .sqlite:
      let directory = try TemporaryDirectory()
      defer { directory.remove() }
      try body(SQLiteRoomStore(database: try LyceumDatabase.inDataDirectory(directory.path)))
    case .postgresql:
      let schema = try PostgresTestSchema()
      defer { schema.remove() }
      try body(PostgresRoomStore(database: schema.database))
    }
  }

  /// A room with every field set.
  static func fullRoom(_ name: String = "#Lab") -> RoomRecord {
    var modes = ChannelModes()
    modes.inviteOnly = true
    modes.key = "sesame"
    modes.limit = 25
    modes.moderated = true
    modes.noExternalMessages = false
    modes.secret = true
    modes.topicLocked = false
    modes.noCTCP = true
    return RoomRecord(
      name: name, foldedName: name.lowercased(), owner: "ada", operatorAccounts: ["grace", "mia"],
      topic: Topic(
        text: "Spectroscopy — wavelengths", setBy: "ada!ada@192.0.2.1",
        setAtMilliseconds: 1_700_000_000_123),
      modes: modes,
      bans: [
        ListEntry(mask: "spam!*@*", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 1),
        ListEntry(mask: "$a:bot", setBy: "grace!g@192.0.2.2", setAtMilliseconds: 2),
        ListEntry(mask: "*!*@203.0.113.*", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 3),
      ],
      inviteExceptions: [
        ListEntry(mask: "$i:Uppsala*", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 4)
      ],
      banExceptions: [
        ListEntry(mask: "$a:grace", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 5),
        ListEntry(mask: "$m:*!*@198.51.100.*", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 6),
      ],
      createdAtMilliseconds: 1_690_000_000_000,
      description: "Joint spectroscopy with Salamanca", kind: .research)
  }

  @Test(arguments: StoreKind.allCases) func emptyStoreHasNoRooms(kind: StoreKind) throws {
    try withStore(kind) { store in
      #expect(try store.allRooms().isEmpty)
      try store.delete(foldedName: "#nowhere")  // deleting nothing is fine
    }
  }

  @Test(arguments: StoreKind.allCases) func saveThenReadBackEveryField(kind: StoreKind) throws {
    try withStore(kind) { store in
      let full = Self.fullRoom()
      let bare = RoomRecord(
        name: "#bare", foldedName: "#bare", owner: "bob", createdAtMilliseconds: 5)
      try store.save(full)
      try store.save(bare)
      #expect(try store.allRooms() == [bare, full])
    }
  }

  @Test(arguments: StoreKind.allCases) func saveReplacesTheWholeRoom(kind: StoreKind) throws {
    try withStore(kind) { store in
      try store.save(Self.fullRoom())
      var changed = Self.fullRoom()
      changed.owner = "grace"
      changed.operatorAccounts = ["ada"]
      changed.topic = nil
      changed.modes = ChannelModes()
      changed.bans = [changed.bans[2], changed.bans[0]]
      changed.inviteExceptions = []
      try store.save(changed)
      #expect(try store.allRooms() == [changed])
    }
  }

  @Test(arguments: StoreKind.allCases) func deleteForgetsOneRoomOnly(kind: StoreKind) throws {
    try withStore(kind) { store in
      try store.save(Self.fullRoom("#a"))
      try store.save(Self.fullRoom("#b"))
      try store.delete(foldedName: "#a")
      #expect(try store.allRooms().map(\.foldedName) == ["#b"])
      // Saving it again after a delete starts from nothing left over.
      let fresh = RoomRecord(name: "#a", foldedName: "#a", owner: "zed", createdAtMilliseconds: 9)
      try store.save(fresh)
      #expect(try store.allRooms().first == fresh)
    }
  }

  @Test(arguments: StoreKind.allCases) func roomsAreSortedByFoldedName(kind: StoreKind) throws {
    try withStore(kind) { store in
      for name in ["#zeta", "#Alpha", "#mid"] { try store.save(Self.fullRoom(name)) }
      #expect(try store.allRooms().map(\.foldedName) == ["#alpha", "#mid", "#zeta"])
    }
  }

  @Test func roomsSurviveReopeningTheFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let store = SQLiteRoomStore(database: try .inDataDirectory(directory.path))
      try store.save(Self.fullRoom())
    }
    let reopened = SQLiteRoomStore(database: try .inDataDirectory(directory.path))
    #expect(try reopened.allRooms() == [Self.fullRoom()])
  }

  @Test func roomsLiveInTheV3RoomsStepAfterTheAccounts() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let applied = try LyceumDatabase.inDataDirectory(directory.path).appliedMigrations()
    #expect(Array(applied.prefix(3)) == ["v1-accounts", "v2-history", "v3-rooms"])
  }
}
