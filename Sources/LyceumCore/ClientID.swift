/// Identifies one connected client for the life of its connection.
///
/// The server maps each transport connection to one `ClientID`; ids are never reused while the
/// process runs, so a late event for a closed connection can never touch a newer one.
public struct ClientID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let raw: UInt64

  public init(_ raw: UInt64) { self.raw = raw }

  public static func < (lhs: ClientID, rhs: ClientID) -> Bool { lhs.raw < rhs.raw }

  public var description: String { "c\(raw)" }
}
