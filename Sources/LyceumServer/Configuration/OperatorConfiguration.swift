/// One IRC operator account, checked by `OPER name password`.
///
/// The password is kept in plaintext in the file, so the file should be readable by the server's
/// user only (`chmod 600`).
public struct OperatorConfiguration: Sendable, Equatable {
  /// The name given to `OPER`.
  public var name: String
  /// The password given to `OPER`.
  public var password: String
  /// A `nick!user@host` glob (`*` and `?`) the client must match; `*` lets anyone try.
  public var hostMask: String

  /// An operator; by default from any host.
  public init(name: String, password: String, hostMask: String = "*") {
    self.name = name
    self.password = password
    self.hostMask = hostMask
  }
}
