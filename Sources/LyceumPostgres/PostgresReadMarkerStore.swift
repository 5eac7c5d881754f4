import LyceumCore

/// The `ReadMarkerStore` on PostgreSQL: the `read_markers` table of `PostgresDatabase`.
///
/// Behaves like `InMemoryReadMarkerStore` (the reference): `save` is one upsert that keeps the
/// newer of the stored and the given time, so a marker never moves back, even when two writes
/// race. Any failure becomes `ReadMarkerStoreError.storage` with PostgreSQL's message.
public final class PostgresReadMarkerStore: ReadMarkerStore {
  /// The database the store works in; shared with the other stores of the server.
  public let database: PostgresDatabase

  public init(database: PostgresDatabase) {
    self.database = database
  }

  public func allMarkers() throws -> [ReadMarker] {
    try storing {
      try database.read { connection in
        try connection.query("SELECT account, target, time_ms FROM read_markers").rows.map {
          ReadMarker(account: try $0.text(0), target: try $0.text(1), milliseconds: try $0.int(2))
        }
        // Sorted in Swift, not SQL, to match the in-memory store's `String` ordering exactly.
        .sorted { ($0.account, $0.target) < ($1.account, $1.target) }
      }
    }
  }

  public func save(_ marker: ReadMarker) throws {
    try storing {
      try database.write { connection in
        try connection.query(
          """
          INSERT INTO read_markers (account, target, time_ms) VALUES ($1, $2, $3)
          ON CONFLICT (account, target)
          DO UPDATE SET time_ms = greatest(read_markers.time_ms, excluded.time_ms)
          """,
          [marker.account, marker.target, marker.milliseconds])
      }
    }
  }

  /// Runs `body`, turning every failure into `ReadMarkerStoreError.storage`.
  @discardableResult
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
