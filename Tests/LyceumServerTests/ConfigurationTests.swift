import Foundation
import LyceumServer
import Testing

/// Loading, validating and overriding `ServerConfiguration`.
@Suite struct ConfigurationTests {
  /// `lyceum.example.yaml` at the repository root, found from this file's path.
  static let examplePath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("lyceum.example.yaml").path

  /// The error `body` throws, as a `ConfigurationError`.
  func configurationError(_ body: () throws -> Void) -> ConfigurationError? {
    do {
      try body()
      return nil
    } catch {
      return error as? ConfigurationError
    }
  }

  @Test func exampleFileLoadsAndMatchesTheDefaults() throws {
    let loaded = try ServerConfiguration.load(fromYAMLFile: Self.examplePath)
    #expect(loaded == ServerConfiguration())
    // It ships with no operator, so no password anyone could guess from the repository.
    #expect(loaded.operators.isEmpty)
    #expect(loaded.listeners[0] == ListenerConfiguration(host: "::", port: 6697, tls: true))
    #expect(loaded.limits.readQueueBytes == 16384)
    #expect(loaded.timeouts.pingInterval == .seconds(90))
    #expect(loaded.sts.duration == .zero)
  }

  @Test func emptyTextGivesTheDefaults() throws {
    #expect(try ServerConfiguration.load(fromYAML: "") == ServerConfiguration())
    #expect(try ServerConfiguration.load(fromYAML: "# only a comment\n") == ServerConfiguration())
  }

  @Test func valuesOverrideDefaultsAndListenerDefaultsFollowTLS() throws {
    let text = """
      server-name: irc.example.edu
      password: pw
      listeners:
        - tls: false
        - port: 7000
          certificate-path: a.crt
          key-path: a.key
      limits: {nick-length: 20}
      timeouts: {ping-timeout: 0.2, registration: 500ms, tls-handshake: "2m", ping-interval: 1}
      sts: {duration: 1d, port: 443}
      operators: [{name: root, password: x}]
      """
    let configuration = try ServerConfiguration.load(fromYAML: text)
    #expect(configuration.serverName == "irc.example.edu")
    #expect(configuration.password == "pw")
    #expect(
      configuration.listeners == [
        ListenerConfiguration(host: "127.0.0.1", port: 6667, tls: false),
        ListenerConfiguration(
          host: "::", port: 7000, tls: true, certificatePath: "a.crt", keyPath: "a.key"),
      ])
    #expect(configuration.limits.nickLength == 20)
    #expect(configuration.limits.topicLength == 390)
    #expect(configuration.timeouts.pingTimeout == .milliseconds(200))
    #expect(configuration.timeouts.registration == .milliseconds(500))
    #expect(configuration.timeouts.tlsHandshake == .seconds(120))
    #expect(configuration.timeouts.pingInterval == .seconds(1))
    #expect(configuration.sts.duration == .seconds(86400))
    #expect(configuration.sts.port == 443)
    #expect(configuration.operators == [OperatorConfiguration(name: "root", password: "x")])
  }

  @Test func unknownKeysAreNamedWithTheirPath() {
    let top = configurationError { _ = try ServerConfiguration.load(fromYAML: "server-nam: x.y") }
    guard case .unknownKey(let key, let known) = top else {
      Issue.record("expected unknownKey, got \(String(describing: top))")
      return
    }
    #expect(key == "server-nam")
    #expect(known.contains("server-name"))
    let nested = configurationError {
      _ = try ServerConfiguration.load(fromYAML: "listeners:\n  - port: 1\n  - prot: 2\n")
    }
    #expect(nested?.description.contains("'listeners[1].prot'") == true)
  }

  @Test func badValuesNameTheKeyAndTheValue() {
    let cases: [(yaml: String, key: String, value: String)] = [
      ("timeouts:\n  ping-timeout: soon\n", "timeouts.ping-timeout", "soon"),
      ("timeouts:\n  ping-timeout: -1\n", "timeouts.ping-timeout", "-1"),
      ("timeouts:\n  registration: 10x\n", "timeouts.registration", "10x"),
      ("timeouts:\n  ping-interval: 0\n", "timeouts.ping-interval", "0s"),
      ("limits:\n  nick-length: many\n", "limits.nick-length", "many"),
      ("limits:\n  read-queue-bytes: 512\n", "limits.read-queue-bytes", "512"),
      ("listeners:\n  - port: 70000\n", "listeners[0].port", "70000"),
      ("listeners:\n  - tls: maybe\n", "listeners[0].tls", "maybe"),
      ("server-name: localhost\n", "server-name", "localhost"),
      ("log-level: loud\n", "log-level", "loud"),
      ("motd: 3\n", "motd", "3"),
    ]
    for (yaml, key, value) in cases {
      let error = configurationError { _ = try ServerConfiguration.load(fromYAML: yaml) }
      guard case .invalidValue(let foundKey, let foundValue, _) = error else {
        Issue.record("\(yaml): expected invalidValue, got \(String(describing: error))")
        continue
      }
      #expect(foundKey == key, "\(yaml)")
      #expect(foundValue == value, "\(yaml)")
    }
  }

  @Test func syntaxErrorsAndConflictsAreReported() {
    let syntax = configurationError { _ = try ServerConfiguration.load(fromYAML: "a: [b\n") }
    guard case .syntax = syntax else {
      Issue.record("expected syntax, got \(String(describing: syntax))")
      return
    }
    let both = configurationError {
      _ = try ServerConfiguration.load(fromYAML: "motd: [hi]\nmotd-file: x.txt\n")
    }
    #expect(both == .conflict("set either motd or motd-file, not both"))
    let halfTLS = configurationError {
      _ = try ServerConfiguration.load(fromYAML: "tls-certificate-path: a.crt\n")
    }
    guard case .conflict = halfTLS else {
      Issue.record("expected conflict, got \(String(describing: halfTLS))")
      return
    }
  }

  @Test func missingFileIsUnreadable() {
    let error = configurationError {
      _ = try ServerConfiguration.load(fromYAMLFile: "/nonexistent/lyceum.yaml")
    }
    #expect(error == .unreadableFile(path: "/nonexistent/lyceum.yaml", reason: "no such file"))
  }

  @Test func motdFileIsReadAtLoadTime() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-motd-\(UUID().uuidString).txt").path
    try "first\r\nsecond\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let configuration = try ServerConfiguration.load(fromYAML: "motd-file: \(path)\n")
    #expect(configuration.motd == ["first", "second"])
  }

  @Test(arguments: [
    ("127.0.0.1:6667", "127.0.0.1", 6667),
    ("[::1]:0", "::1", 0),
    ("localhost:6697", "localhost", 6697),
    ("*:6697", "::", 6697),
    ("[fe80::1%eth0]:7000", "fe80::1%eth0", 7000),
  ])
  func hostPortParses(text: String, host: String, port: Int) throws {
    let parsed = try HostPort(parsing: text)
    #expect(parsed == HostPort(host: host, port: port))
  }

  @Test(arguments: [
    "6667", "::1:6667", "[::1]6667", "[::1:6667", "host:", ":6667", "host:65536", "host:-1",
    "host:+5", "[127.0.0.1]:5", "a b:1",
  ])
  func hostPortRejects(text: String) {
    #expect(throws: ConfigurationError.self) { try HostPort(parsing: text) }
  }

  @Test func hostPortDescriptionBracketsIPv6() {
    #expect(HostPort(host: "::", port: 6697).description == "[::]:6697")
    #expect(HostPort(host: "127.0.0.1", port: 6667).description == "127.0.0.1:6667")
  }

  @Test func listenerFlagsReplaceEveryListenerOfTheFile() throws {
    var configuration = ServerConfiguration()
    let overrides = ConfigurationOverrides(
      dataDirectory: "/tmp/d", plainListeners: [try HostPort(parsing: "127.0.0.1:0")],
      tlsListeners: [try HostPort(parsing: "[::1]:0")], serverName: "irc.example.edu",
      logLevel: "debug")
    overrides.apply(to: &configuration)
    #expect(
      configuration.listeners == [
        ListenerConfiguration(host: "::1", port: 0, tls: true),
        ListenerConfiguration(host: "127.0.0.1", port: 0, tls: false),
      ])
    #expect(configuration.dataDirectory == "/tmp/d")
    #expect(configuration.serverName == "irc.example.edu")
    #expect(configuration.loggerLevel == .debug)
    #expect(configuration.password == nil)
  }

  @Test func overridesWithoutListenersKeepTheFileListeners() throws {
    let loaded = try ServerConfiguration.load(
      fromYAMLFile: Self.examplePath, applying: ConfigurationOverrides(password: "pw"))
    #expect(loaded.listeners == ServerConfiguration().listeners)
    #expect(loaded.password == "pw")
  }

  @Test func overridesCanFixAFileValueBeforeValidation() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-\(UUID().uuidString).yaml").path
    try "server-name: nodot\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: ConfigurationError.self) {
      try ServerConfiguration.load(fromYAMLFile: path, applying: ConfigurationOverrides())
    }
    let fixed = try ServerConfiguration.load(
      fromYAMLFile: path, applying: ConfigurationOverrides(serverName: "irc.example.edu"))
    #expect(fixed.serverName == "irc.example.edu")
  }
}
