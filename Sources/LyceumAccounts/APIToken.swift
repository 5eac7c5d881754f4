import LyceumProtocol

/// API tokens: long random secrets that bots and scripts use instead of the account password.
///
/// The server keeps only `digest(secret)`, so a leaked database does not leak tokens; the secret
/// has 256 bits of entropy, so a plain SHA-256 (no salt, no stretching) is enough to make the
/// digest useless to an attacker while keeping lookups cheap.
public enum APIToken {
  /// The prefix that marks a secret as a Lyceum token (helps secret scanners and users alike).
  public static let prefix = "lyc_"

  /// A fresh token: `lyc_` and 32 random bytes as 64 lowercase hex digits — safe in a shell, a
  /// URL, a config file and an IRC parameter without quoting.
  public static func generate() -> String {
    prefix + Hex.encode(Crypto.randomBytes(32))
  }

  /// The stored form of a token: lowercase hex SHA-256 of its UTF-8 bytes.
  public static func digest(_ secret: String) -> String {
    Hex.encode(Crypto.sha256(Array(secret.utf8)))
  }

}
