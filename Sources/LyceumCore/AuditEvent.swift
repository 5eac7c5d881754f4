/// An event the server's operators must be able to find in the log afterwards: who tried to
/// become an IRC operator, from where, and how it went. Never carries a password.
public enum AuditEvent: Sendable, Equatable {
  /// An `OPER` attempt: the operator name given, the client's `nick!user@host`, its IP address.
  case oper(name: String, client: String, ip: String, outcome: OperOutcome)
}

/// How an `OPER` attempt ended.
public enum OperOutcome: Sendable, Equatable {
  case succeeded
  /// No operator of that name, or the wrong password (`464`).
  case wrongCredentials
  /// The right credentials from outside the operator's host mask (`491`).
  case hostMismatch
  /// Refused unchecked: too many failures from this address or for this name (`464`, closed).
  case throttled
}
