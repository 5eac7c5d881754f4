/// How to log in.
public enum Login: Equatable, Sendable {
  /// No account (a guest; no direct-message history, no read markers kept).
  case none
  /// SASL PLAIN with an account's password or one of its API tokens (`lyc_…`).
  case plain(account: String, secret: String)
  /// SASL SCRAM-SHA-256: the password never crosses the wire, and the server proves it knows it.
  case scram(account: String, password: String)
  /// SASL EXTERNAL: the TLS client certificate whose fingerprint the account lists.
  case external
}

/// What the session needs to know before it connects: who to be and where to go.
public struct SessionConfiguration: Equatable, Sendable {
  public var nick: String
  public var username: String
  public var realname: String
  public var login: Login
  /// Create this account with `REGISTER` during registration (the first run's "register").
  public var registration: AccountRegistration?
  /// The server password (`PASS`), when the server has one.
  public var serverPassword: String?
  /// Rooms to join after every (re)connect, besides those the user joined since.
  public var channels: [String]
  /// Lines asked for per history request (lowered to the server's `CHATHISTORY` limit).
  public var historyPageSize: Int
  /// Ask for direct conversations (`CHATHISTORY TARGETS`) after logging in.
  public var fetchDirectTargets: Bool

  public init(
    nick: String, username: String? = nil, realname: String? = nil, login: Login = .none,
    registration: AccountRegistration? = nil, serverPassword: String? = nil,
    channels: [String] = [], historyPageSize: Int = 100, fetchDirectTargets: Bool = true
  ) {
    self.nick = nick
    self.username = username ?? nick
    self.realname = realname ?? nick
    self.login = login
    self.registration = registration
    self.serverPassword = serverPassword
    self.channels = channels
    self.historyPageSize = historyPageSize
    self.fetchDirectTargets = fetchDirectTargets
  }
}

/// An account to create with `REGISTER` (IRCv3 draft/account-registration).
public struct AccountRegistration: Equatable, Sendable {
  public var account: String
  public var email: String?
  public var password: String

  public init(account: String, email: String? = nil, password: String) {
    self.account = account
    self.email = email
    self.password = password
  }
}
