/// The credential a session proved when it logged in, so that revoking that credential can end
/// the session (protocol/ACCOUNTS.md § Sessions and revocation).
///
/// None of these is a secret: a password is named by its SCRAM salt (random, made anew with
/// every password, and sent to any client that starts a SCRAM exchange), a token by the SHA-256
/// digest the store keeps, a certificate by its fingerprint.
public enum LoginCredential: Sendable, Hashable {
  /// The account's password (PLAIN, SCRAM-SHA-256, `PASS`, `REGISTER`), by `passwordStamp`.
  case password(stamp: String)
  /// An API token, by the digest of its secret.
  case token(digest: String)
  /// A TLS client certificate (SASL EXTERNAL), by its SHA-256 fingerprint.
  case certificate(fingerprint: String)

  /// The stamp of a password credential: the salt of its scrypt hash, new at every password
  /// change. (Not the SCRAM salt: that one is kept across changes, so that API tokens keep
  /// their SCRAM keys.)
  public static func passwordStamp(_ credential: PasswordCredential) -> String {
    // `scrypt$N$r$p$<salt base64>$<hash base64>`
    let fields = credential.scryptHash.split(separator: "$", omittingEmptySubsequences: false)
    return fields.count == 6 ? String(fields[4]) : credential.scryptHash
  }
}

/// The credentials an account accepts now, read from the store: what a logged-in session's
/// `LoginCredential` is checked against when the account changes (over IRC at once, and on
/// every reload for changes made with `lyceumd account` / `lyceumd token`).
public struct AccountCredentials: Sendable, Equatable {
  /// When the account was created: a session of an account deleted and created again under
  /// the same name belongs to the old one.
  public var createdAtMilliseconds: Int64
  public var passwordStamp: String?
  public var tokenDigests: Set<String>
  public var certificateFingerprints: Set<String>

  public init(
    createdAtMilliseconds: Int64, passwordStamp: String? = nil, tokenDigests: Set<String> = [],
    certificateFingerprints: Set<String> = []
  ) {
    self.createdAtMilliseconds = createdAtMilliseconds
    self.passwordStamp = passwordStamp
    self.tokenDigests = tokenDigests
    self.certificateFingerprints = certificateFingerprints
  }

  /// The account's current credentials: its password, the given tokens and its certificates.
  public init(_ record: AccountRecord, tokens: [APITokenRecord]) {
    self.init(
      createdAtMilliseconds: record.createdAtMilliseconds,
      passwordStamp: record.password.map(LoginCredential.passwordStamp),
      tokenDigests: Set(tokens.map(\.secretDigest)),
      certificateFingerprints: Set(
        record.certificateFingerprints.map { String($0.lowercased().filter { $0 != ":" }) }))
  }

  /// Whether a session that logged in with `login` may stay logged in.
  public func accepts(_ login: LoginCredential) -> Bool {
    switch login {
    case .password(let stamp): stamp == passwordStamp
    case .token(let digest): tokenDigests.contains(digest)
    case .certificate(let fingerprint): certificateFingerprints.contains(fingerprint)
    }
  }
}
