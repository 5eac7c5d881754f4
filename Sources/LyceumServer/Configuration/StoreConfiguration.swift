import LyceumPostgres

/// Where the server keeps accounts, rooms, read markers and history (`store:`).
///
/// `sqlite` (the default, and what an absent key means): one SQLite file in the data
/// directory, nothing to set up. A `postgresql://` URL: a PostgreSQL database the institution
/// already runs, e.g. `postgresql://lyceum@db.example.edu:5432/lyceum?sslmode=verify-full`; TLS
/// to it is libpq's `sslmode` (`require` encrypts, `verify-full` also checks the server's
/// certificate against `sslrootcert` and its name). The password may be in the URL, in
/// `PGPASSWORD` or in `~/.pgpass`; it is never written to a log or an error.
public enum StoreConfiguration: Sendable, Equatable, CustomStringConvertible {
  case sqlite
  case postgresql(PostgresURL)

  /// Reads the value of `store:`; the error never repeats a URL's password.
  static func parse(_ text: String) throws -> StoreConfiguration {
    if text == "sqlite" { return .sqlite }
    guard text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") else {
      throw ConfigurationError.invalidValue(
        key: "store", value: text, reason: "expected sqlite or a postgresql:// URL")
    }
    do {
      return .postgresql(try PostgresURL(text))
    } catch {
      throw ConfigurationError.invalidValue(
        key: "store", value: "(the PostgreSQL URL)", reason: "\(error)")
    }
  }

  /// For logs: `sqlite`, or the URL without its password.
  public var description: String {
    switch self {
    case .sqlite: "sqlite"
    case .postgresql(let url): url.redacted
    }
  }
}
