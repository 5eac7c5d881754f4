import CLibPQ

/// A PostgreSQL connection URL (`postgresql://user:password@host:port/db?sslmode=verify-full`),
/// read by libpq's own parser, with what may be shown of it.
///
/// Every libpq URL parameter works (`sslmode`, `sslrootcert`, `connect_timeout`,
/// `target_session_attrs`, …); a password may also come from `PGPASSWORD` or `~/.pgpass` rather
/// than the URL. `redacted` and `scrub(_:)` keep the password out of logs and errors.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable
{
  /// The URL as given; holds the password, so never log it (use `description`).
  let text: String
  /// The libpq keywords the URL sets (`sslmode`, `connect_timeout`, …), so that defaults are
  /// added only for the others.
  let keywords: Set<String>
  /// The password in the URL, if any, to be scrubbed from error texts.
  private let password: String?
  /// `postgresql://user@host:port/db?sslmode=…`, without the password.
  public let redacted: String

  /// Parses `text`; throws `.configuration` (without the URL's text) if libpq cannot read it.
  public init(_ text: String) throws {
    guard text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") else {
      throw PostgresError(.configuration, "the URL must start with postgresql://")
    }
    var errorText: UnsafeMutablePointer<CChar>?
    guard let options = PQconninfoParse(text, &errorText) else {
      var reason = "libpq cannot parse it"
      if let errorText {
        reason = String(cString: errorText).trimmingSuffixNewlines
        PQfreemem(errorText)
      }
      throw PostgresError(.configuration, "not a valid PostgreSQL URL: \(reason)")
    }
    defer { PQconninfoFree(options) }
    var values: [String: String] = [:]
    var option = options
    while let keyword = option.pointee.keyword {
      if let value = option.pointee.val {
        values[String(cString: keyword)] = String(cString: value)
      }
      option += 1
    }
    self.text = text
    self.keywords = Set(values.keys)
    self.password = values["password"].flatMap { $0.isEmpty ? nil : $0 }
    var shown = "postgresql://"
    if let user = values["user"] { shown += user + "@" }
    shown += values["host"] ?? values["hostaddr"] ?? ""
    if let port = values["port"] { shown += ":" + port }
    shown += "/" + (values["dbname"] ?? "")
    if let mode = values["sslmode"] { shown += "?sslmode=" + mode }
    self.redacted = self.password.map { Self.replace($0, in: shown) } ?? shown
  }

  public var description: String { redacted }
  public var debugDescription: String { redacted }
  /// Only the redacted form, so that `dump` or a configuration printed whole shows no password.
  public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }

  /// `message` with the password (if the URL has one) replaced by `***`.
  func scrub(_ message: String) -> String {
    guard let password else { return message }
    return Self.replace(password, in: message)
  }

  private static func replace(_ secret: String, in text: String) -> String {
    text.replacing(secret, with: "***")
  }
}

extension String {
  /// Without the newline libpq ends its messages with.
  var trimmingSuffixNewlines: String {
    var copy = self
    while copy.last?.isNewline == true { copy.removeLast() }
    return copy
  }
}
