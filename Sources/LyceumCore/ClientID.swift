/// Identifies one connected client for the life of its connection.
///
/// The server maps each transport connection to one `ClientID`; ids are never reused while the
/// process runs, so a late event for a closed connection can never touch a newer one.
public struct ClientID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let raw: UInt64

  public init(_ raw: UInt64) { self.raw = raw }

  public static func < (lhs: ClientID, rhs: ClientID) -> Bool { lhs.raw < rhs.raw }

  public var description: String { "c\(raw)" }

  public func hash(into hasher: inout Hasher) { hasher.combine(raw) }

  /// The hash dictionaries and sets use, cheaper than the standard SipHash.
  ///
  /// Why: the hub looks every recipient of every delivery up by id (holds, batches, sessions),
  /// and SipHash was 9 % of the server's CPU in a 1000-member fan-out (`perf record`, release).
  /// Ids are numbered by the server, never chosen by a client, so nobody can pick keys that
  /// collide; a 64-bit mix (murmur3's finalizer) spreads consecutive ids over the buckets.
  public func _rawHashValue(seed: Int) -> Int {
    var mixed = raw ^ UInt64(truncatingIfNeeded: seed)
    mixed = (mixed ^ (mixed >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    mixed = (mixed ^ (mixed >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    return Int(truncatingIfNeeded: mixed ^ (mixed >> 33))
  }
}
