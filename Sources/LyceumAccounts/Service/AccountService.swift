import LyceumCore
import LyceumProtocol
import Synchronization

/// Answers the core's `AccountRequest`s: SASL (PLAIN, EXTERNAL, SCRAM-SHA-256), `PASS` logins and
/// `REGISTER`, with failed-login throttling.
///
/// Called on the server's account queue (one at a time); thread-safe anyway: the mutable state
/// (SASL exchanges in progress, failure counts, whether registration is open) sits behind one
/// mutex that is never held across a store call or a password hash.
///
/// Secrets pass through only as arguments: nothing here logs, and the store sees only hashes
/// and digests.
public final class AccountService: Sendable {
  let store: any AccountStore
  let hasher: PasswordHasher
  let caseMapping: CaseMapping
  let clock: any ServerClock
  /// A credential for a password nobody knows, checked when the account does not exist so that
  /// an unknown name costs the same scrypt run as a wrong password.
  let decoyCredential: PasswordCredential?
  let state: Mutex<State>

  struct State {
    var registrationOpen: Bool
    var throttle: FailureThrottle
    var sessions: [UInt64: SASLSession] = [:]
  }

  /// A SCRAM exchange between its messages; PLAIN and EXTERNAL finish in one step and keep none.
  enum SASLSession {
    /// Server-first was sent; `account` is nil when the name is unknown (a decoy exchange).
    /// `credentials` name what each of the exchange's keys proves (the password by its stamp,
    /// then API tokens by digest), in the exchange's key order.
    case scramAwaitingFinal(
      SCRAMServerExchange, account: AccountSummary?, credentials: [LoginCredential],
      foldedName: String)
    /// Server-final was sent; the client's empty response completes the login.
    case scramAwaitingAcknowledgement(AccountSummary, LoginCredential)
  }

  public init(
    store: any AccountStore, hasher: PasswordHasher = PasswordHasher(), caseMapping: CaseMapping,
    clock: any ServerClock, registrationOpen: Bool = true, failureLimit: Int = 3,
    failureWindow: Duration = .seconds(60)
  ) {
    self.store = store
    self.hasher = hasher
    self.caseMapping = caseMapping
    self.clock = clock
    self.decoyCredential = hasher.makeDecoyCredential()
    self.state = Mutex(
      State(
        registrationOpen: registrationOpen,
        throttle: FailureThrottle(limit: failureLimit, window: failureWindow)))
  }

  /// Whether `REGISTER` is accepted; REHASH may change it.
  public var registrationOpen: Bool {
    get { state.withLock { $0.registrationOpen } }
    set { state.withLock { $0.registrationOpen = newValue } }
  }

  /// The answer to one request; nil for `.saslAbort`, which needs none.
  public func handle(_ request: AccountRequest) -> AccountResponse? {
    switch request {
    case .saslStep(let step):
      return saslStep(step)
    case .saslAbort(let connection):
      _ = state.withLock { $0.sessions.removeValue(forKey: connection) }
      return nil
    case .passwordLogin(_, let ip, let account, let secret):
      return passwordLogin(ip: ip, account: account, secret: secret)
    case .register(_, let ip, let account, let email, let password):
      return register(ip: ip, account: account, email: email, password: password)
    case .admin:
      return nil  // Administration is the server's (`AccountAdministration`), not the service's.
    }
  }

  /// `PASS account:secret`: the account's password or one of its API tokens.
  func passwordLogin(ip: String, account: String, secret: String) -> AccountResponse {
    let folded = caseMapping.fold(account)
    return throttled(ip: ip, foldedName: folded) {
      checkSecret(secret, foldedName: folded)
    }
  }
}
