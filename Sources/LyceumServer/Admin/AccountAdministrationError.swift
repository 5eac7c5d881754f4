import LyceumCore

/// Why an administration command did not do what was asked; `description` is the message
/// `lyceumd` prints.
public enum AccountAdministrationError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidAccountName(String)
  case invalidRole(String)
  case invalidFingerprint(String)
  case invalidTokenName(String)
  case emptyPassword
  /// `ACCOUNTS SET` named a field that does not exist.
  case invalidField(String)
  case accountExists(String)
  case unknownAccount(String)
  /// The certificate is already registered to another account.
  case certificateInUse(fingerprint: String, account: String)
  case unknownCertificate(String)
  case tokenExists(account: String, name: String)
  case unknownToken(account: String, name: String)
  /// The database failed; the text is the underlying error.
  case storage(String)
  /// There is no database in the data directory (a wrong `--data-dir` or working directory).
  case noDatabase(String)

  /// True when the command line was wrong (exit status 64, EX_USAGE) rather than the data.
  public var isUsageError: Bool {
    switch self {
    case .invalidAccountName, .invalidRole, .invalidFingerprint, .invalidTokenName, .emptyPassword,
      .invalidField:
      true
    default:
      false
    }
  }

  public var description: String {
    switch self {
    case .noDatabase(let path):
      "no database at \(path): is this the server's data directory? (give --data-dir "
        + "or --config; `account create --create-database` makes a new one)"
    case .invalidAccountName(let name):
      "invalid account name '\(name)': a nickname of at most "
        + "\(AccountAdministration.maximumNameLength) bytes (letters, digits, - [ ] \\ ` _ ^ { | })"
    case .invalidRole(let role):
      "invalid role '\(role)': one of "
        + AccountRole.allCases.map(\.rawValue).joined(separator: ", ")
    case .invalidFingerprint(let fingerprint):
      "invalid certificate fingerprint '\(fingerprint)': 64 hex digits of SHA-256 (colons allowed)"
    case .invalidTokenName(let name):
      "invalid token name '\(name)': 1 to \(AccountAdministration.maximumTokenNameLength) "
        + "letters, digits, '.', '_' or '-'"
    case .emptyPassword: "the password is empty"
    case .invalidField(let field):
      "no field '\(field)': use role, institution, display-name, email or password"
    case .accountExists(let name): "account '\(name)' already exists"
    case .unknownAccount(let name): "no account '\(name)'"
    case .certificateInUse(let fingerprint, let account):
      "certificate \(fingerprint) already belongs to account '\(account)'"
    case .unknownCertificate(let fingerprint): "the account has no certificate \(fingerprint)"
    case .tokenExists(let account, let name): "account '\(account)' already has a token '\(name)'"
    case .unknownToken(let account, let name): "account '\(account)' has no token '\(name)'"
    case .storage(let text): "database error: \(text)"
    }
  }
}
