/// Requests the core makes of the account service, and the service's answers.
///
/// Verifying a password costs an scrypt run (tens of milliseconds), and accounts live on disk,
/// so the core never does either on its own queue: it raises a request in its outbox, the server
/// runs it on the account service's queue, and feeds the answer back with
/// `IRCServerCore.accountResponse(_:for:)`. Every request names the connection it is for.
public enum AccountRequest: Sendable, Equatable {
  /// One complete SASL client response (base64 already decoded; empty for `+`). The first
  /// step of an exchange carries the mechanism the client chose.
  case saslStep(SASLStep)
  /// The client gave up (`AUTHENTICATE *`) or went away: forget its exchange.
  case saslAbort(connection: UInt64)
  /// `PASS account:secret` during registration: a password or an API token.
  case passwordLogin(connection: UInt64, ip: String, account: String, secret: String)
  /// `REGISTER <account> <email|*> <password>` (draft/account-registration).
  case register(connection: UInt64, ip: String, account: String, email: String?, password: String)
  /// An operator's `ACCOUNTS` command, or anyone's `TOKEN` command for their own account.
  case admin(connection: UInt64, AdminRequest)
}

/// Account administration over IRC, mirroring the `lyceumd account` and `lyceumd token`
/// subcommands.
public enum AdminRequest: Sendable, Equatable {
  case createAccount(name: String, role: String, password: String, institution: String?)
  /// `field` is one of `role`, `institution`, `display-name`, `email`, `password`; an empty
  /// value clears an optional field.
  case setAccount(name: String, field: String, value: String)
  case deleteAccount(name: String)
  case createToken(account: String, name: String)
  case listTokens(account: String)
  case revokeToken(account: String, name: String)
}

/// What an administration request did, for the operator and for the core's directory.
public struct AdminOutcome: Sendable, Equatable {
  /// `NOTE` lines for the requester: each is `[code, context…, description]`.
  public var notes: [[String]]
  /// The account as it now is, when one was created or changed.
  public var updated: AccountSummary?
  /// The folded name of a deleted account.
  public var deleted: String?
  /// What the account in `updated` accepts now, when its credentials changed (a new password,
  /// a revoked token, a removed certificate): sessions that logged in with one it no longer
  /// accepts are ended.
  public var credentials: AccountCredentials?

  public init(
    notes: [[String]], updated: AccountSummary? = nil, deleted: String? = nil,
    credentials: AccountCredentials? = nil
  ) {
    self.notes = notes
    self.updated = updated
    self.deleted = deleted
    self.credentials = credentials
  }
}

/// One step of a SASL exchange, with what the mechanisms need to know about the connection.
public struct SASLStep: Sendable, Equatable {
  public var connection: UInt64
  public var ip: String
  /// `PLAIN`, `EXTERNAL` or `SCRAM-SHA-256`, upper case.
  public var mechanism: String
  public var response: [UInt8]
  /// SHA-256 of the client's TLS certificate, for EXTERNAL.
  public var certificateFingerprint: String?
  /// True for the first response of an exchange.
  public var isFirst: Bool

  public init(
    connection: UInt64, ip: String, mechanism: String, response: [UInt8],
    certificateFingerprint: String?, isFirst: Bool
  ) {
    self.connection = connection
    self.ip = ip
    self.mechanism = mechanism
    self.response = response
    self.certificateFingerprint = certificateFingerprint
    self.isFirst = isFirst
  }
}

/// The account service's answer to one request.
public enum AccountResponse: Sendable, Equatable {
  /// Send this challenge (`AUTHENTICATE <base64>`) and wait for the next response.
  case saslChallenge([UInt8])
  /// Logged in (SASL: `900` + `903`; PASS: logged in silently before the welcome), with the
  /// credential that proved it (revoking it ends the session).
  case loggedIn(AccountSummary, via: LoginCredential)
  /// The credentials were wrong or the account does not exist (`904`; PASS: `464`).
  case authenticationFailed
  /// Too many failed attempts from this IP or for this account; try again later.
  case throttled(retryAfterSeconds: Int)
  /// The mechanism's message could not be parsed (`904`).
  case malformed
  /// `REGISTER` succeeded; the connection is logged in to the new account by its password.
  case registered(AccountSummary, via: LoginCredential)
  /// `REGISTER` failed: `FAIL REGISTER <code> <account> :<description>`.
  case registrationFailed(code: String, description: String)
  /// An administration request succeeded.
  case adminSucceeded(AdminOutcome)
  /// An administration request failed: `FAIL <command> <code> :<description>`.
  case adminFailed(code: String, description: String)
}

/// What the core keeps about an account in memory: enough for WHOIS, tags and access checks.
public struct AccountSummary: Codable, Sendable, Equatable {
  public var name: String
  public var foldedName: String
  public var institution: String?
  public var role: AccountRole
  public var displayName: String?
  /// When the account was created: what tells it apart from an account of the same name that
  /// was deleted before it. Direct history older than this is not shown to it.
  public var createdAtMilliseconds: Int64

  public init(
    name: String, foldedName: String, institution: String? = nil, role: AccountRole = .researcher,
    displayName: String? = nil, createdAtMilliseconds: Int64 = 0
  ) {
    self.name = name
    self.foldedName = foldedName
    self.institution = institution
    self.role = role
    self.displayName = displayName
    self.createdAtMilliseconds = createdAtMilliseconds
  }

  public init(_ record: AccountRecord) {
    self.init(
      name: record.name, foldedName: record.foldedName, institution: record.institution,
      role: record.role, displayName: record.displayName,
      createdAtMilliseconds: record.createdAtMilliseconds)
  }
}

extension AccountRequest {
  /// The connection the request is for (the raw value of its `ClientID`).
  public var connection: UInt64 {
    switch self {
    case .saslStep(let step): step.connection
    case .saslAbort(let connection): connection
    case .passwordLogin(let connection, _, _, _): connection
    case .register(let connection, _, _, _, _): connection
    case .admin(let connection, _): connection
    }
  }

  /// The client's address, for the requests that carry it (fair scheduling, throttling).
  public var ip: String? {
    switch self {
    case .saslStep(let step): step.ip
    case .passwordLogin(_, let ip, _, _), .register(_, let ip, _, _, _): ip
    case .saslAbort, .admin: nil
    }
  }
}
