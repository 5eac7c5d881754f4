/// Why `lyceumd migrate-store` stopped; `description` is the message it prints (never a
/// password: PostgreSQL locations are shown redacted, and its errors arrive scrubbed).
public enum StoreMigrationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `--from` or `--to` is not in the expected form.
  case invalidArgument(String)
  /// No SQLite database where `--from` points.
  case noDatabase(String)
  /// Another process has the SQLite database open (a running server).
  case sourceInUse(String)
  /// The PostgreSQL store already holds data; what it holds.
  case targetNotEmpty(location: String, holds: [String])
  /// A store failed; the text is the underlying error.
  case storage(String)
  /// The check found a difference: the first one.
  case mismatch(String)

  /// True when the command line was wrong (exit status 64, EX_USAGE).
  public var isUsageError: Bool {
    if case .invalidArgument = self { true } else { false }
  }

  public var description: String {
    switch self {
    case .invalidArgument(let text): text
    case .noDatabase(let path): "no SQLite database at \(path)"
    case .sourceInUse(let path):
      "\(path) is open in another process: stop lyceumd (and any lyceumd account, token or "
        + "export command) before migrating its store"
    case .targetNotEmpty(let location, let holds):
      "\(location) already holds \(holds.joined(separator: ", ")): migrate-store only fills "
        + "an empty store and never merges two; give a new database or schema"
    case .storage(let text): "database error: \(text)"
    case .mismatch(let text): "CHECK FAILED, the stores differ: \(text)"
    }
  }
}
