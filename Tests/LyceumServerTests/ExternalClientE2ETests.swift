import Foundation
import LyceumProtocol
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Real outside programs: `openssl s_client` as a client, and the `lyceumd` binary as a server.
@Suite struct ExternalClientE2ETests {
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
  func opensslSClientTranscript() throws {
    let server = try TestServer()
    defer { server.stop() }
    let watcher = try server.registered("watcher")
    try watcher.join("#shell")

    let sClient = try ChildProcess(
      "/usr/bin/openssl", ["s_client", "-quiet", "-connect", "127.0.0.1:\(server.tlsPort)"])
    defer { sClient.kill() }
    try sClient.write("NICK shelly\r\nUSER shelly 0 * :Shell User\r\n")
    try sClient.waitFor("001") { stdout, _ in stdout.contains(" 001 shelly ") }
    try sClient.write("JOIN #shell\r\nPRIVMSG #shell :hello from openssl\r\n")
    try sClient.waitFor("JOIN") { stdout, _ in stdout.contains("JOIN #shell") }
    let message = try watcher.expect("PRIVMSG")
    #expect(message.sourceNick == "shelly")
    #expect(message.params == ["#shell", "hello from openssl"])
    try sClient.write("QUIT :bye\r\n")
    try watcher.expect("QUIT") { $0.sourceNick == "shelly" }
    #expect(sClient.waitForExit(timeout: .seconds(5)) != nil, "s_client still running after QUIT")
  }

  /// The server sends no TLS 1.3 session tickets (see `TLSContext`): `s_client` prints each
  /// one it gets ("Post-Handshake New Session Ticket arrived") by the time it exits.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
  func noSessionTicketsAfterTheHandshake() throws {
    let server = try TestServer()
    defer { server.stop() }
    let sClient = try ChildProcess(
      "/usr/bin/openssl", ["s_client", "-nocommands", "-connect", "127.0.0.1:\(server.tlsPort)"])
    defer { sClient.kill() }
    try sClient.write("NICK ticketless\r\nUSER t 0 * :T\r\n")
    try sClient.waitFor("001") { stdout, _ in stdout.contains(" 001 ticketless ") }
    try sClient.write("QUIT :done\r\n")
    #expect(sClient.waitForExit() != nil, "s_client still running after QUIT")
    let transcript = sClient.standardOutput
    #expect(transcript.contains("ERROR :"))
    #expect(transcript.contains("TLSv1.3"))
    #expect(!transcript.contains("New Session Ticket"))
  }

  @Test func lyceumdStartsServesAndStopsOnSIGTERM() throws {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    let dataDirectory = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    let daemon = try ChildProcess(
      binary,
      [
        "--data-dir", dataDirectory, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0",
      ])
    defer { daemon.kill() }
    let (tlsPort, plainPort) = try Lyceumd.waitForPorts(daemon)
    #expect(tlsPort != plainPort)

    let client = try TestClient(port: tlsPort, tls: true, name: "daemonuser")
    let welcome = try client.register(nick: "daemonuser")
    #expect(welcome.contains { $0.command == "001" })
    let plain = try TestClient(port: plainPort, tls: false, name: "plainuser")
    try plain.register(nick: "plainuser")

    daemon.signal(SIGTERM)
    let status = daemon.waitForExit(timeout: .seconds(10))
    #expect(status == 0, "lyceumd exit status after SIGTERM: \(String(describing: status))")
    let last = try client.expectClosed()
    #expect(last.contains { $0.command == "ERROR" }, "no ERROR on shutdown: \(last)")
  }
}

/// Finding and starting the `lyceumd` executable that `swift build`/`swift test` built.
enum Lyceumd {
  /// Next to the test bundle (whatever the build path), else `.build/debug/lyceumd` under the
  /// package root found from this file's path.
  static var binaryPath: String? { builtBinary(named: "lyceumd") }

  /// The product `name` next to the test bundle (whatever the build path), else in
  /// `.build/debug` under the package root found from this file's path.
  static func builtBinary(named name: String) -> String? {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent(name).path
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let inBuild = packageRoot.appendingPathComponent(".build/debug/\(name)").path
    return [besideTests, inBuild].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  static let missingBinaryNote: Comment =
    "lyceumd was not built next to the tests nor at .build/debug/lyceumd"

  /// Reads stderr until both `listening tls 127.0.0.1:N` and `listening plain 127.0.0.1:M`.
  static func waitForPorts(_ daemon: ChildProcess) throws -> (tls: Int, plain: Int) {
    let tlsPattern = #/listening tls 127\.0\.0\.1:(\d+)/#
    let plainPattern = #/listening plain 127\.0\.0\.1:(\d+)/#
    try daemon.waitFor("both listening lines", timeout: .seconds(20)) { _, stderr in
      stderr.firstMatch(of: tlsPattern) != nil && stderr.firstMatch(of: plainPattern) != nil
    }
    let stderr = daemon.standardError
    guard let tls = stderr.firstMatch(of: tlsPattern).flatMap({ Int($0.1) }),
      let plain = stderr.firstMatch(of: plainPattern).flatMap({ Int($0.1) })
    else { throw HarnessFailure(description: "unreadable ports in:\n\(stderr)") }
    return (tls, plain)
  }
}
