/// A failure of PostgreSQL or of the connection to it.
///
/// Carries PostgreSQL's own message and its SQLSTATE, so that a log says what the server
/// said; never the connection URL or the password (see `PostgresURL.scrub(_:)`).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The URL could not be read.
    case configuration
    /// No connection, or the connection was lost.
    case connection
    /// PostgreSQL refused or failed a statement.
    case statement
    /// A value in a result was not of the expected type (a schema this code did not write).
    case decoding
  }

  public var kind: Kind
  /// The five-character SQLSTATE (`23505` unique violation, …) when PostgreSQL gave one.
  public var sqlState: String?
  public var message: String

  public init(_ kind: Kind, sqlState: String? = nil, _ message: String) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
  }

  /// Whether the statement broke an integrity constraint (SQLSTATE class 23: unique, foreign
  /// key, check, not null).
  public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }

  public var description: String {
    let code = sqlState.map { " \($0)" } ?? ""
    return "PostgreSQL \(kind)\(code): \(message)"
  }
}
