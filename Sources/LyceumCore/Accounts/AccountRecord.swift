/// One registered account as the store keeps it.
///
/// Secrets are never kept in clear: the password as an scrypt hash (for PLAIN and `PASS`) and as
/// SCRAM-SHA-256 keys (RFC 5802/7677: salt, iterations, StoredKey, ServerKey); API tokens as
/// SHA-256 digests of high-entropy random strings.
public struct AccountRecord: Sendable, Equatable {
  /// The account name as registered (display form).
  public var name: String
  /// `name` under the server's case mapping: the primary key.
  public var foldedName: String
  public var createdAtMilliseconds: Int64
  public var institution: String?
  public var role: AccountRole
  public var displayName: String?
  /// Kept for the operators' records; never sent anywhere.
  public var email: String?
  public var password: PasswordCredential?
  /// SHA-256 fingerprints (lowercase hex) of TLS client certificates accepted by SASL EXTERNAL.
  public var certificateFingerprints: [String]

  public init(
    name: String, foldedName: String, createdAtMilliseconds: Int64, institution: String? = nil,
    role: AccountRole = .researcher, displayName: String? = nil, email: String? = nil,
    password: PasswordCredential? = nil, certificateFingerprints: [String] = []
  ) {
    self.name = name
    self.foldedName = foldedName
    self.createdAtMilliseconds = createdAtMilliseconds
    self.institution = institution
    self.role = role
    self.displayName = displayName
    self.email = email
    self.password = password
    self.certificateFingerprints = certificateFingerprints
  }
}

/// What an account is for; `bot` accounts get user mode `+B` and the `bot` tag.
public enum AccountRole: String, Sendable, CaseIterable, Codable {
  case faculty, researcher, student, staff, bot, admin
}

/// The stored forms of one password: an scrypt hash for PLAIN/PASS and SCRAM-SHA-256 keys.
public struct PasswordCredential: Sendable, Equatable {
  /// `scrypt$N$r$p$<salt base64>$<hash base64>`.
  public var scryptHash: String
  public var scramSalt: [UInt8]
  public var scramIterations: Int
  public var scramStoredKey: [UInt8]
  public var scramServerKey: [UInt8]

  public init(
    scryptHash: String, scramSalt: [UInt8], scramIterations: Int, scramStoredKey: [UInt8],
    scramServerKey: [UInt8]
  ) {
    self.scryptHash = scryptHash
    self.scramSalt = scramSalt
    self.scramIterations = scramIterations
    self.scramStoredKey = scramStoredKey
    self.scramServerKey = scramServerKey
  }
}

/// A named, revocable API token of an account, stored as the SHA-256 of its secret.
public struct APITokenRecord: Sendable, Equatable {
  public var accountFoldedName: String
  public var name: String
  /// Lowercase hex SHA-256 of the token's secret.
  public var secretDigest: String
  public var createdAtMilliseconds: Int64
  public var lastUsedMilliseconds: Int64?
  /// SCRAM-SHA-256 keys of the secret, derived with the account's SCRAM salt and iteration
  /// count when the token was made, so that a SCRAM login may use the token as its password;
  /// nil for tokens made before Lyceum kept them (those log in with PLAIN or PASS only).
  public var scram: SCRAMKeyRecord?

  public init(
    accountFoldedName: String, name: String, secretDigest: String, createdAtMilliseconds: Int64,
    lastUsedMilliseconds: Int64? = nil, scram: SCRAMKeyRecord? = nil
  ) {
    self.accountFoldedName = accountFoldedName
    self.name = name
    self.secretDigest = secretDigest
    self.createdAtMilliseconds = createdAtMilliseconds
    self.lastUsedMilliseconds = lastUsedMilliseconds
    self.scram = scram
  }
}

/// What SCRAM-SHA-256 keeps of a secret (RFC 5802): the salt and iteration count it was
/// derived with, StoredKey and ServerKey.
public struct SCRAMKeyRecord: Sendable, Equatable {
  public var salt: [UInt8]
  public var iterations: Int
  public var storedKey: [UInt8]
  public var serverKey: [UInt8]

  public init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
    self.salt = salt
    self.iterations = iterations
    self.storedKey = storedKey
    self.serverKey = serverKey
  }
}
