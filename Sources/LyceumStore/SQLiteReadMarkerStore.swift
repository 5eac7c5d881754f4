import GRDB
import LyceumCore

/// The `ReadMarkerStore` of a running server: the `read_markers` table of `LyceumDatabase`.
///
/// Behaves like `InMemoryReadMarkerStore` (the reference): `save` is one upsert that keeps the
/// newer of the stored and the given time, so a marker never moves back. Any SQLite failure
/// becomes `ReadMarkerStoreError.storage` with the error's text.
public final class SQLiteReadMarkerStore: ReadMarkerStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: LyceumDatabase

  public init(database: LyceumDatabase) {
    self.database = database
  }

  public func allMarkers() throws -> [ReadMarker] {
    try storing {
      try database.pool.read { db in
        try Row.fetchAll(db, sql: "SELECT account, target, time_ms FROM read_markers").map {
          ReadMarker(account: $0["account"], target: $0["target"], milliseconds: $0["time_ms"])
        }
        // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
        .sorted { ($0.account, $0.target) < ($1.account, $1.target) }
      }
    }
  }

  public func save(_ marker: ReadMarker) throws {
    try storing {
      try database.pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO read_markers (account, target, time_ms) VALUES (?, ?, ?)
            ON CONFLICT (account, target) DO UPDATE SET time_ms = max(time_ms, excluded.time_ms)
            """,
          arguments: [marker.account, marker.target, marker.milliseconds])
      }
    }
  }

  /// Runs `body`, turning every failure into `ReadMarkerStoreError.storage`.
  private func storing<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as ReadMarkerStoreError {
      throw error
    } catch {
      throw ReadMarkerStoreError.storage(String(describing: error))
    }
  }
}
