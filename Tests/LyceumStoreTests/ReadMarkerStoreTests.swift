import Foundation
import LyceumCore
import LyceumPostgres
import Testing

@testable import LyceumStore

/// The `ReadMarkerStore` contract against both implementations (the SQLite store must behave
/// like the in-memory reference), then what only the SQLite store shows: markers survive
/// reopening the file, in the `v4-read-markers` step.
@Suite struct ReadMarkerStoreTests {
  /// Runs `body` with a new, empty read-marker store of `kind`.
  func withStore(_ kind: StoreKind, _ body: (any ReadMarkerStore) throws -> Void) throws {
    switch kind {
    case .inMemory:
      try body(InMemoryReadMarkerStore())
    case .sqlite:
      let directory = try TemporaryDirectory()
      defer { directory.remove() }
      try body(
        SQLiteReadMarkerStore(database: try LyceumDatabase.inDataDirectory(directory.path)))
    case .postgresql:
      let schema = try PostgresTestSchema()
      defer { schema.remove() }
      try body(PostgresReadMarkerStore(database: schema.database))
    }
  }

  private static func marker(_ account: String, _ target: String, _ time: Int64) -> ReadMarker {
    ReadMarker(account: account, target: target, milliseconds: time)
  }

  @Test(arguments: StoreKind.allCases) func emptyStoreHasNoMarkers(kind: StoreKind) throws {
    try withStore(kind) { store in
      let markers = try store.allMarkers()
      #expect(markers.isEmpty)
    }
  }

  @Test(arguments: StoreKind.allCases) func oneRowPerAccountAndTargetSorted(kind: StoreKind)
    throws
  {
    try withStore(kind) { store in
      try store.save(Self.marker("bob", "#lab", 30))
      try store.save(Self.marker("alice", "carol", 20))
      try store.save(Self.marker("alice", "#lab", 10))
      try store.save(Self.marker("alice", "#lab", 15))
      #expect(
        try store.allMarkers() == [
          Self.marker("alice", "#lab", 15), Self.marker("alice", "carol", 20),
          Self.marker("bob", "#lab", 30),
        ])
    }
  }

  @Test(arguments: StoreKind.allCases) func markersNeverMoveBack(kind: StoreKind) throws {
    try withStore(kind) { store in
      try store.save(Self.marker("alice", "#lab", 1_700_000_000_500))
      try store.save(Self.marker("alice", "#lab", 1_700_000_000_100))  // a late, older write
      #expect(try store.allMarkers() == [Self.marker("alice", "#lab", 1_700_000_000_500)])
    }
  }

  @Test func markersSurviveReopeningTheFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    do {
      let store = SQLiteReadMarkerStore(database: try .inDataDirectory(directory.path))
      try store.save(Self.marker("alice", "#lab", 42))
    }
    let reopened = SQLiteReadMarkerStore(database: try .inDataDirectory(directory.path))
    #expect(try reopened.allMarkers() == [Self.marker("alice", "#lab", 42)])
    let applied = try reopened.database.appliedMigrations()
    #expect(applied.contains("v4-read-markers"))
    #expect(applied.firstIndex(of: "v4-read-markers")! > applied.firstIndex(of: "v3-rooms")!)
  }
}
