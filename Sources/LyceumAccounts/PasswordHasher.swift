import LyceumCore
import LyceumProtocol

/// Turns a password into the forms the store keeps, and checks a password against them.
///
/// Two forms because two kinds of login exist: PLAIN and `PASS` send the password itself, which
/// is checked against a memory-hard scrypt hash; SCRAM-SHA-256 never sends it, so the server
/// keeps the RFC 5802 StoredKey and ServerKey (PBKDF2 with their own salt). Each form has its own
/// per-account random salt, so neither helps to attack the other across accounts.
public struct PasswordHasher: Sendable {
  /// scrypt cost for new credentials; verification uses the cost stored with each hash.
  public let scryptN: UInt64
  public let scryptR: UInt64
  public let scryptP: UInt64
  /// PBKDF2 iterations for new SCRAM keys (RFC 7677 asks for at least 4096).
  public let scramIterations: Int

  static let saltLength = 16
  static let scryptHashLength = 32

  public init(
    scryptN: UInt64 = 1 << 15, scryptR: UInt64 = 8, scryptP: UInt64 = 1,
    scramIterations: Int = 4096
  ) {
    self.scryptN = scryptN
    self.scryptR = scryptR
    self.scryptP = scryptP
    self.scramIterations = scramIterations
  }

  /// Per-account random salts (16 bytes) for both forms; scrypt stored as
  /// `scrypt$N$r$p$<salt b64>$<hash b64>`.
  public func makeCredential(password: String) throws -> PasswordCredential {
    let secret = Array(password.utf8)
    let scryptSalt = Crypto.randomBytes(Self.saltLength)
    let hash = try Crypto.scrypt(
      password: secret, salt: scryptSalt, n: scryptN, r: scryptR, p: scryptP,
      length: Self.scryptHashLength)
    let stored = StoredScryptHash(n: scryptN, r: scryptR, p: scryptP, salt: scryptSalt, hash: hash)
    let scramSalt = Crypto.randomBytes(Self.saltLength)
    let keys = SCRAMKeys(password: secret, salt: scramSalt, iterations: scramIterations)
    return PasswordCredential(
      scryptHash: stored.encoded, scramSalt: scramSalt, scramIterations: scramIterations,
      scramStoredKey: keys.storedKey, scramServerKey: keys.serverKey)
  }

  /// A credential that no password matches, with the cost of a real one: verifying against it
  /// takes as long as against a real account's, so timing does not tell which names exist.
  ///
  /// Made of random bytes, not by hashing: scrypt at this cost writes 32 MiB, and doing so at
  /// start-up made that the server's peak memory in every run without a login (measured:
  /// VmHWM 66 MiB at start against 36 MiB resident after).
  public func makeDecoyCredential() -> PasswordCredential {
    let stored = StoredScryptHash(
      n: scryptN, r: scryptR, p: scryptP, salt: Crypto.randomBytes(Self.saltLength),
      hash: Crypto.randomBytes(Self.scryptHashLength))
    return PasswordCredential(
      scryptHash: stored.encoded, scramSalt: Crypto.randomBytes(Self.saltLength),
      scramIterations: scramIterations, scramStoredKey: Crypto.randomBytes(32),
      scramServerKey: Crypto.randomBytes(32))
  }

  /// `password`'s stored forms keeping `previous`'s SCRAM salt and iteration count (a password
  /// change): API tokens' SCRAM keys were derived under them, and one SCRAM exchange offers one
  /// salt, so keeping it keeps those tokens usable with SCRAM.
  public func makeCredential(password: String, keepingSCRAMSaltOf previous: PasswordCredential?)
    throws -> PasswordCredential
  {
    var credential = try makeCredential(password: password)
    guard let previous else { return credential }
    let keys = SCRAMKeys(
      password: Array(password.utf8), salt: previous.scramSalt,
      iterations: previous.scramIterations)
    credential.scramSalt = previous.scramSalt
    credential.scramIterations = previous.scramIterations
    credential.scramStoredKey = keys.storedKey
    credential.scramServerKey = keys.serverKey
    return credential
  }

  /// SCRAM keys for an API token's secret under the account password's salt and count, so a
  /// SCRAM exchange (which offers the password's salt) can check the token too; under a fresh
  /// salt for an account without a password.
  public func scramKeys(forToken secret: String, account password: PasswordCredential?)
    -> SCRAMKeyRecord
  {
    let salt = password?.scramSalt ?? Crypto.randomBytes(Self.saltLength)
    let iterations = password?.scramIterations ?? scramIterations
    let keys = SCRAMKeys(password: Array(secret.utf8), salt: salt, iterations: iterations)
    return SCRAMKeyRecord(
      salt: salt, iterations: iterations, storedKey: keys.storedKey, serverKey: keys.serverKey)
  }

  /// Parses the stored scrypt string (its own N/r/p, so the cost can be raised later) and compares
  /// in constant time. False for a wrong password and for a stored string that cannot be parsed.
  public func verify(password: String, against credential: PasswordCredential) -> Bool {
    guard let stored = StoredScryptHash(parsing: credential.scryptHash) else { return false }
    guard
      let computed = try? Crypto.scrypt(
        password: Array(password.utf8), salt: stored.salt, n: stored.n, r: stored.r, p: stored.p,
        length: stored.hash.count)
    else { return false }
    return Crypto.constantTimeEqual(computed, stored.hash)
  }
}

/// The keys of RFC 5802 §3 derived from a password: what the server stores and the client
/// recomputes.
struct SCRAMKeys {
  var clientKey: [UInt8]
  var storedKey: [UInt8]
  var serverKey: [UInt8]

  init(password: [UInt8], salt: [UInt8], iterations: Int) {
    let salted = Crypto.pbkdf2SHA256(
      password: password, salt: salt, iterations: iterations, length: 32)
    clientKey = Crypto.hmacSHA256(key: salted, data: Array("Client Key".utf8))
    storedKey = Crypto.sha256(clientKey)
    serverKey = Crypto.hmacSHA256(key: salted, data: Array("Server Key".utf8))
  }
}

/// `scrypt$N$r$p$<salt base64>$<hash base64>`, the text form of an scrypt hash and its cost.
struct StoredScryptHash: Equatable {
  var n: UInt64
  var r: UInt64
  var p: UInt64
  var salt: [UInt8]
  var hash: [UInt8]

  /// Upper bounds accepted when parsing, so a corrupted or hostile row cannot make one login
  /// allocate gigabytes or spin for minutes.
  static let maxN: UInt64 = 1 << 22
  static let maxR: UInt64 = 32
  static let maxP: UInt64 = 16

  init(n: UInt64, r: UInt64, p: UInt64, salt: [UInt8], hash: [UInt8]) {
    self.n = n
    self.r = r
    self.p = p
    self.salt = salt
    self.hash = hash
  }

  init?(parsing text: String) {
    let fields = text.split(separator: "$", omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0] == "scrypt",
      let n = UInt64(fields[1]), let r = UInt64(fields[2]), let p = UInt64(fields[3]),
      n > 1, n & (n - 1) == 0, n <= Self.maxN, (1...Self.maxR).contains(r),
      (1...Self.maxP).contains(p),
      let salt = Base64.decode(fields[4]), let hash = Base64.decode(fields[5]),
      !salt.isEmpty, hash.count >= 16
    else { return nil }
    self.init(n: n, r: r, p: p, salt: salt, hash: hash)
  }

  var encoded: String {
    "scrypt$\(n)$\(r)$\(p)$\(Base64.encode(salt))$\(Base64.encode(hash))"
  }
}
