/// One read marker (IRCv3 `draft/read-marker`): the time of the last message an account has
/// read in one target.
public struct ReadMarker: Sendable, Hashable {
  /// The folded name of the account the marker belongs to.
  public var account: String
  /// The folded channel name or nick the marker is for.
  public var target: String
  /// The `time` tag of the last message read, milliseconds since 1970 (UTC).
  public var milliseconds: Int64

  public init(account: String, target: String, milliseconds: Int64) {
    self.account = account
    self.target = target
    self.milliseconds = milliseconds
  }
}

/// Durable storage of read markers: one row per account × target, holding the newest time.
///
/// A simple, synchronous design: the server loads every marker into the core at start-up
/// (`IRCServerCore.loadReadMarkers(_:)`), the core answers `MARKREAD` from memory, and every
/// move of a marker is raised as `CoreEvent.readMarkerChanged` for the server to write from a
/// queue of its own (calls may block on disk, never on the core's queue).
public protocol ReadMarkerStore: Sendable {
  /// Every stored marker, sorted by account, then target.
  func allMarkers() throws -> [ReadMarker]
  /// Stores the marker, unless the stored one for the same account and target is newer: a
  /// marker only moves forward, even if writes arrive out of order.
  func save(_ marker: ReadMarker) throws
}

/// Why a read-marker store operation failed.
public enum ReadMarkerStoreError: Error, Equatable, Sendable {
  /// The underlying storage failed (disk, corruption); the text is for logs.
  case storage(String)
}

/// A `ReadMarkerStore` kept in memory, for tests and for servers run without a data directory.
///
/// `@unchecked Sendable`: every access goes through `lock`.
public final class InMemoryReadMarkerStore: ReadMarkerStore, @unchecked Sendable {
  private let lock = SimpleLock()
  private var markers: [ReadMarkerKey: Int64] = [:]

  public init() {}

  public func allMarkers() throws -> [ReadMarker] {
    lock.locked {
      markers.map {
        ReadMarker(account: $0.key.account, target: $0.key.target, milliseconds: $0.value)
      }
      .sorted { ($0.account, $0.target) < ($1.account, $1.target) }
    }
  }

  public func save(_ marker: ReadMarker) throws {
    lock.locked {
      let key = ReadMarkerKey(account: marker.account, target: marker.target)
      markers[key] = max(markers[key] ?? .min, marker.milliseconds)
    }
  }
}

/// An account and a target, both folded.
struct ReadMarkerKey: Hashable {
  var account: String
  var target: String
}
