import ArgumentParser
import Foundation
import LyceumClient

/// Where and how to connect, shared by every subcommand: the configuration file, overridden
/// by flags, with `LYCEUM_TOKEN` for bots.
struct ConnectionOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Configuration file.", valueName: "file"))
  var config: String?

  @Option(help: ArgumentHelp("Server as host:port (default port 6697).", valueName: "host:port"))
  var server: String?

  @Option(help: "Nick to use.")
  var nick: String?

  @Option(help: "Account to log in to (SASL).")
  var account: String?

  @Flag(help: "Read the password (or token) from the first line of standard input.")
  var passwordStdin = false

  @Flag(help: "Plaintext instead of TLS (loopback servers only).")
  var plaintext = false

  @Option(help: ArgumentHelp("Accept only this SHA-256 certificate fingerprint.", valueName: "hex"))
  var pin: String?

  @Flag(help: "Do not check the server's certificate at all (tests only).")
  var insecure = false

  @Flag(help: "Show the raw IRC lines (on standard error for the one-shot commands).")
  var debug = false

  /// The configuration file's path: `--config`, else `$XDG_CONFIG_HOME/lyceum/config`.
  var configPath: String {
    if let config { return config }
    let environment = ProcessInfo.processInfo.environment
    let base =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? ".") + "/.config"
    return base + "/lyceum/config"
  }

  /// The file (if there is one) with the flags applied on top.
  func load(requireFile: Bool = false) throws -> ClientConfiguration {
    var configuration = ClientConfiguration()
    if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
      do {
        configuration = try ClientConfiguration(parsing: text)
      } catch {
        throw ValidationError("\(configPath): \(error)")
      }
    } else if requireFile || config != nil {
      throw ValidationError("cannot read \(configPath)")
    }
    if let server {
      guard let (host, port) = ClientConfiguration.hostPort(server) else {
        throw ValidationError("--server: expected host:port")
      }
      configuration.host = host
      configuration.port = port
    }
    if let nick { configuration.nick = nick }
    if let account { configuration.account = account }
    if plaintext { configuration.tls = false }
    if insecure { configuration.insecure = true }
    if let pin {
      guard let hex = normalizedFingerprint(pin) else {
        throw ValidationError("--pin: expected a SHA-256 fingerprint")
      }
      configuration.pin = hex
    }
    if passwordStdin { configuration.password = readLine(strippingNewline: true) }
    let environment = ProcessInfo.processInfo.environment
    if let token = environment["LYCEUM_TOKEN"], !token.isEmpty {
      configuration.password = token
      configuration.mechanism = "plain"
    }
    if configuration.nick.isEmpty { configuration.nick = configuration.account ?? "" }
    let loopback = ["localhost", "127.0.0.1", "::1"].contains(configuration.host)
    if !configuration.tls && !loopback
      && (configuration.password != nil || configuration.passwordCommand != nil)
    {
      throw ValidationError(
        "refusing to send a password in plaintext to \(configuration.host); use TLS "
          + "(plaintext is for loopback only)")
    }
    guard !configuration.nick.isEmpty else {
      throw ValidationError(
        "no nick: run `lyceum` once to set up \(configPath), or pass --nick")
    }
    return configuration
  }
}

extension ClientConfiguration {
  /// The session settings for this configuration; runs `password-cmd` if there is one.
  func sessionConfiguration(channels extra: [String] = []) throws -> SessionConfiguration {
    var secret = password
    if secret == nil, let passwordCommand {
      secret = try Self.run(passwordCommand)
    }
    let login: Login
    switch (mechanism, account, secret) {
    case ("external", _, _): login = .external
    case ("scram", let account?, let secret?): login = .scram(account: account, password: secret)
    case (_, let account?, let secret?): login = .plain(account: account, secret: secret)
    default: login = .none
    }
    return SessionConfiguration(
      nick: nick, username: username, realname: realname, login: login,
      channels: channels + extra)
  }

  /// The first line a shell command prints (for `password-cmd`).
  static func run(_ command: String) throws -> String {
    // Subprocess, not Foundation's Process, whose exit can be missed by a waiting thread.
    let result = try Subprocess.run(
      "/bin/sh", ["-c", command], inheritingInput: true, timeout: .seconds(120))
    guard result.termination == .exited(0) else {
      throw ValidationError(
        "password-cmd failed (\(result.termination)): \(result.standardError.prefix(200))")
    }
    return result.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
  }

  /// Opens the connection (TLS checked as configured).
  func connect(timeout: Duration = .seconds(10)) throws -> BlockingLineClient {
    try BlockingLineClient(
      host: host, port: port, tls: tls, verification: verification,
      clientCertificatePath: certificatePath, clientKeyPath: keyPath, timeout: timeout)
  }
}

/// Milliseconds since the epoch, the session's clock.
func wallClockMilliseconds() -> Int64 {
  Int64((Date().timeIntervalSince1970 * 1000).rounded())
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data("lyceum: \(text)\n".utf8))
}
