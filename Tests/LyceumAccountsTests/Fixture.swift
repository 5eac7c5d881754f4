import LyceumCore
import LyceumProtocol

@testable import LyceumAccounts

/// A service over an in-memory store and a manual clock, with helpers to seed accounts and to
/// build SASL steps.
struct Fixture {
  let store = InMemoryAccountStore()
  let clock = ManualClock()
  let service: AccountService

  init(registrationOpen: Bool = true) {
    service = AccountService(
      store: store, hasher: .testing, caseMapping: .rfc1459, clock: clock,
      registrationOpen: registrationOpen)
  }

  @discardableResult
  func addAccount(
    _ name: String, password: String? = nil, fingerprints: [String] = []
  ) throws -> AccountRecord {
    let record = AccountRecord(
      name: name, foldedName: CaseMapping.rfc1459.fold(name), createdAtMilliseconds: 1,
      role: .faculty,
      password: try password.map { try PasswordHasher.testing.makeCredential(password: $0) },
      certificateFingerprints: fingerprints)
    try store.create(record)
    return record
  }

  /// Adds a token the way a token command would, returning its secret.
  func addToken(account: String, name: String) throws -> String {
    let secret = APIToken.generate()
    try store.addToken(
      APITokenRecord(
        accountFoldedName: CaseMapping.rfc1459.fold(account), name: name,
        secretDigest: APIToken.digest(secret), createdAtMilliseconds: 1))
    return secret
  }

  func step(
    _ mechanism: String, _ response: [UInt8], connection: UInt64 = 1, ip: String = "192.0.2.1",
    fingerprint: String? = nil, first: Bool = true
  ) -> AccountResponse? {
    service.handle(
      .saslStep(
        SASLStep(
          connection: connection, ip: ip, mechanism: mechanism, response: response,
          certificateFingerprint: fingerprint, isFirst: first)))
  }

  func plain(
    _ account: String, _ secret: String, authzid: String = "", connection: UInt64 = 1,
    ip: String = "192.0.2.1"
  ) -> AccountResponse? {
    step("PLAIN", Array("\(authzid)\0\(account)\0\(secret)".utf8), connection: connection, ip: ip)
  }

  func pass(_ account: String, _ secret: String, ip: String = "192.0.2.1") -> AccountResponse? {
    service.handle(.passwordLogin(connection: 9, ip: ip, account: account, secret: secret))
  }
}

/// The answer to a successful login for `record`: its summary, and the credential it proved —
/// the token with secret `token`, the certificate `fingerprint`, or else the password.
func loggedIn(_ record: AccountRecord, token: String? = nil, fingerprint: String? = nil)
  -> AccountResponse
{
  let credential: LoginCredential =
    if let token {
      .token(digest: APIToken.digest(token))
    } else if let fingerprint {
      .certificate(fingerprint: fingerprint)
    } else {
      .password(stamp: record.password.map(LoginCredential.passwordStamp) ?? "")
    }
  return .loggedIn(AccountSummary(record), via: credential)
}

extension Fixture {
  /// The answer to a successful `REGISTER` of the stored account `folded`.
  func registered(_ folded: String) -> AccountResponse? {
    guard let record = try? store.account(foldedName: folded) else { return nil }
    return .registered(
      AccountSummary(record),
      via: .password(stamp: record.password.map(LoginCredential.passwordStamp) ?? ""))
  }
}
