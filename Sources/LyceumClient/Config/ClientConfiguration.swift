/// The client's configuration file, `$XDG_CONFIG_HOME/lyceum/config` (mode 600): one
/// `key value` per line, `#` comments. Everything a login needs, so that the full-screen client
/// and the one-shot subcommands (`post`, `tail`, `history`) read the same file.
///
/// ```
/// server chat.example.edu:6697
/// nick ada
/// account ada
/// password-cmd pass show lyceum
/// channels #lab,#faculty
/// pin 3f9a…   (the SHA-256 fingerprint accepted on first use, for a self-signed server)
/// ```
public struct ClientConfiguration: Equatable, Sendable {
  public var host = "localhost"
  public var port = 6697
  public var tls = true
  public var nick = ""
  public var username: String?
  public var realname: String?
  public var account: String?
  public var password: String?
  /// A command whose first output line is the password (`pass show lyceum`), so that the
  /// password need not be written in the file.
  public var passwordCommand: String?
  /// `plain` (default), `scram` or `external`.
  public var mechanism = "plain"
  public var certificatePath: String?
  public var keyPath: String?
  /// The pinned SHA-256 fingerprint of a self-signed server (trust on first use).
  public var pin: String?
  /// Skip certificate checks entirely (tests only).
  public var insecure = false
  public var channels: [String] = []

  public init() {}

  /// Keys the file may hold; anything else is an error naming the line.
  public static let keys = [
    "server", "tls", "nick", "username", "realname", "account", "password", "password-cmd",
    "mechanism", "certificate", "key", "pin", "insecure", "channels",
  ]

  /// Parses the file's text. Throws with the line number for an unknown key or a bad value.
  public init(parsing text: String) throws(ConfigurationFileError) {
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = rawLine.drop { $0 == " " || $0 == "\t" }
      if line.isEmpty || line.hasPrefix("#") { continue }
      let key = String(line.prefix { $0 != " " && $0 != "\t" })
      let value = String(line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" })
        .trimmingTrailingWhitespace()
      func bad(_ why: String) -> ConfigurationFileError {
        ConfigurationFileError(line: index + 1, message: "\(key): \(why)")
      }
      switch key {
      case "server":
        guard let (host, port) = Self.hostPort(value) else { throw bad("expected host:port") }
        self.host = host
        self.port = port
      case "tls", "insecure":
        guard let flag = ["yes": true, "true": true, "no": false, "false": false][value] else {
          throw bad("expected yes or no")
        }
        if key == "tls" { tls = flag } else { insecure = flag }
      case "nick": nick = value
      case "username": username = value
      case "realname": realname = value
      case "account": account = value
      case "password": password = value
      case "password-cmd": passwordCommand = value
      case "mechanism":
        guard ["plain", "scram", "external"].contains(value.lowercased()) else {
          throw bad("expected plain, scram or external")
        }
        mechanism = value.lowercased()
      case "certificate": certificatePath = value
      case "key": keyPath = value
      case "pin":
        guard let hex = normalizedFingerprint(value) else {
          throw bad("expected a SHA-256 fingerprint (64 hex digits)")
        }
        pin = hex
      case "channels":
        channels = value.split(separator: ",").map {
          String($0).trimmingTrailingWhitespace().drop { $0 == " " }.description
        }.filter { !$0.isEmpty }
      default:
        throw bad("unknown key (known: \(Self.keys.joined(separator: ", ")))")
      }
    }
  }

  /// The file's text for this configuration (what the setup assistant writes).
  public var fileText: String {
    var lines = ["# Lyceum terminal client. Keys: clients/terminal/README.md"]
    let portText = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    lines.append("server \(portText)")
    if !tls { lines.append("tls no") }
    lines.append("nick \(nick)")
    if let username { lines.append("username \(username)") }
    if let realname { lines.append("realname \(realname)") }
    if let account { lines.append("account \(account)") }
    if let password { lines.append("password \(password)") }
    if let passwordCommand { lines.append("password-cmd \(passwordCommand)") }
    if mechanism != "plain" { lines.append("mechanism \(mechanism)") }
    if let certificatePath { lines.append("certificate \(certificatePath)") }
    if let keyPath { lines.append("key \(keyPath)") }
    if let pin { lines.append("pin \(pin)") }
    if insecure { lines.append("insecure yes") }
    if !channels.isEmpty { lines.append("channels \(channels.joined(separator: ","))") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `host:port`, `[v6]:port`, or a bare host (port 6697).
  public static func hostPort(_ text: String) -> (String, Int)? {
    if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
      let host = String(text[text.index(after: text.startIndex)..<close])
      let rest = text[text.index(after: close)...]
      if rest.isEmpty { return (host, 6697) }
      guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port)
      else { return nil }
      return (host, port)
    }
    let parts = text.split(separator: ":")
    guard !text.isEmpty else { return nil }
    if parts.count == 1 { return (text, 6697) }
    guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else {
      return nil
    }
    return (String(parts[0]), port)
  }

  /// How to check the server's certificate: pinned, none, or the system's trust store.
  public var verification: TLSVerification {
    if insecure { return .none }
    if let pin { return .pinned(sha256: pin) }
    return .system
  }
}

/// A configuration file line that could not be understood.
public struct ConfigurationFileError: Error, CustomStringConvertible, Equatable, Sendable {
  public let line: Int
  public let message: String
  public var description: String { "line \(line): \(message)" }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var copy = self
    while let last = copy.last, last == " " || last == "\t" || last == "\r" { copy.removeLast() }
    return copy
  }
}
