import Foundation
import LyceumClient
import Testing

/// The `lyceum` binary next to the tests (or in `.build/debug`), like `Lyceumd.binaryPath`.
enum LyceumClientBinary {
  static var path: String? {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("lyceum").path
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let inBuild = packageRoot.appendingPathComponent(".build/debug/lyceum").path
    return [besideTests, inBuild].first { FileManager.default.isExecutableFile(atPath: $0) }
  }
}

/// The terminal client's one-shot subcommands against a real server: `post` and `tail` as
/// separate processes, the login and failure paths a bot's cron job depends on, and the
/// session library over a real TLS connection (SCRAM, history, threads, gap fill).
@Suite(.serialized) struct TerminalClientE2ETests {
  /// `lyceum` arguments to reach `server` over TLS with the test certificate pinned.
  static func arguments(_ server: TestServer, _ extra: [String]) throws -> [String] {
    let probe = try BlockingLineClient(
      host: "127.0.0.1", port: server.tlsPort, tls: true, verification: .none)
    let pin = probe.peerCertificateFingerprintSHA256 ?? ""
    probe.close()
    return extra + [
      "--config", "/dev/null/none", "--server", "127.0.0.1:\(server.tlsPort)", "--pin", pin,
    ]
  }

  @Test func postAndTailAsTwoProcesses() throws {
    let binary = try #require(LyceumClientBinary.path, "lyceum was not built")
    let server = try TestServer()
    defer { server.stop() }
    // `--config` naming a missing file is an error; no config at all is fine.
    var tailArguments = try Self.arguments(server, ["tail", "#lab", "--nick", "reader"])
    tailArguments.removeAll { $0 == "--config" || $0 == "/dev/null/none" }
    let environment = ["XDG_CONFIG_HOME": TestServer.makeTemporaryDirectory()]
    let tail = try ChildProcess(binary, tailArguments, environment: environment)
    defer { tail.kill() }
    try tail.waitFor("tail to follow") { stdout, _ in stdout.contains("-- following #lab --") }

    var postArguments = try Self.arguments(server, ["post", "#lab", "--nick", "writer"])
    postArguments.removeAll { $0 == "--config" || $0 == "/dev/null/none" }
    let post = try ChildProcess(binary, postArguments, environment: environment)
    try post.write("first line\nsecond line, ünïcödé 日本語\n")
    post.closeInput()
    #expect(post.waitForExit(timeout: .seconds(20)) == 0, "post failed: \(post.standardError)")
    try tail.waitFor("both lines in tail") { stdout, _ in
      stdout.contains("<writer> first line") && stdout.contains("<writer> second line, ünïcödé 日本語")
    }
  }

  @Test func postExitsNonZeroWithAClearMessageWhenTheLoginOrTheRoomFails() throws {
    let binary = try #require(LyceumClientBinary.path, "lyceum was not built")
    let server = try TestServer()
    defer { server.stop() }
    let environment = ["XDG_CONFIG_HOME": TestServer.makeTemporaryDirectory()]
    var badLogin = try Self.arguments(
      server, ["post", "#lab", "hello", "--nick", "bot", "--account", "nobody", "--password-stdin"])
    badLogin.removeAll { $0 == "--config" || $0 == "/dev/null/none" }
    let login = try ChildProcess(binary, badLogin, environment: environment)
    try login.write("wrong-password\n")
    login.closeInput()
    #expect(login.waitForExit(timeout: .seconds(20)) == 1)
    #expect(login.standardError.contains("login failed"))

    // A certificate that is not the pinned one is refused before anything is sent.
    let wrongPin = [
      "post", "#lab", "hi", "--nick", "bot", "--server", "127.0.0.1:\(server.tlsPort)", "--pin",
      String(repeating: "ab", count: 32),
    ]
    let pinned = try ChildProcess(binary, wrongPin, environment: environment)
    #expect(pinned.waitForExit(timeout: .seconds(20)) == 1)
    #expect(pinned.standardError.contains("CHANGED"))

    // An unverifiable self-signed certificate with no pin is refused too, naming its fingerprint.
    let unpinned = [
      "post", "#lab", "hi", "--nick", "bot", "--server", "127.0.0.1:\(server.tlsPort)",
    ]
    let untrusted = try ChildProcess(binary, unpinned, environment: environment)
    #expect(untrusted.waitForExit(timeout: .seconds(20)) == 1)
    #expect(untrusted.standardError.contains("not trusted"))
  }
}
