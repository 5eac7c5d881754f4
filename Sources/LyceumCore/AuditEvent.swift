/// An event the server's operators must be able to find in the log afterwards: who tried to
/// become an IRC operator or log in, who changed accounts and tokens over IRC, from where, and
/// how it went. Never carries a password, a token or a SASL payload.
public enum AuditEvent: Sendable, Equatable {
  /// An `OPER` attempt: the operator name given, the client's `nick!user@host`, its IP address.
  case oper(name: String, client: String, ip: String, outcome: OperOutcome)
  /// A login (`SASL`, `PASS`) or an account registration (`REGISTER`): the account when known
  /// (always on success), the client, its address.
  case login(method: String, account: String?, client: String, ip: String, outcome: LoginOutcome)
  /// An `ACCOUNTS`/`TOKEN` request over IRC that changed something, or was refused.
  case accountChange(command: String, client: String, account: String?, ip: String, succeeded: Bool)
}

/// How a login or a registration ended.
public enum LoginOutcome: Sendable, Equatable {
  case succeeded
  /// Wrong password or token, unknown account, or a refused registration (with its code).
  case failed(String)
  /// Too many failures lately from this address or for this account.
  case throttled
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
