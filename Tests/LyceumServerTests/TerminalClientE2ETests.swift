import Foundation
import LyceumClient
import Testing

/// The `lyceum` binary, found as `Lyceumd.binaryPath` finds `lyceumd`.
enum LyceumClientBinary {
  static var path: String? { Lyceumd.builtBinary(named: "lyceum") }
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
    return extra + ["--server", "127.0.0.1:\(server.tlsPort)", "--pin", pin]
  }

  @Test func postAndTailAsTwoProcesses() throws {
    let binary = try #require(LyceumClientBinary.path, "lyceum was not built")
    let server = try TestServer()
    defer { server.stop() }
    // No config file at all (an empty XDG_CONFIG_HOME): the flags say everything.
    let tailArguments = try Self.arguments(server, ["tail", "#lab", "--nick", "reader"])
    let environment = ["XDG_CONFIG_HOME": TestServer.makeTemporaryDirectory()]
    let tail = try ChildProcess(binary, tailArguments, environment: environment)
    defer { tail.kill() }
    try tail.waitFor("tail to follow") { stdout, _ in stdout.contains("-- following #lab --") }

    let postArguments = try Self.arguments(server, ["post", "#lab", "--nick", "writer"])
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
    let badLogin = try Self.arguments(
      server, ["post", "#lab", "hello", "--nick", "bot", "--account", "nobody", "--password-stdin"])
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

/// The session library over real TLS connections to a real server: what the full-screen client
/// and the subcommands are built on.
@Suite(.serialized) struct ClientSessionE2ETests {
  static func runner(
    _ server: TestServer, _ configuration: SessionConfiguration
  ) throws -> BlockingSessionRunner {
    let connection = try BlockingLineClient(
      host: "127.0.0.1", port: server.tlsPort, tls: true, verification: .none)
    return try BlockingSessionRunner(
      session: IRCSession(configuration: configuration), connection: connection,
      clock: { Int64(Date().timeIntervalSince1970 * 1000) })
  }

  @Test func registerThenScramLoginDirectHistoryAndThreads() throws {
    let server = try TestServer()
    defer { server.stop() }
    // Register ada from the client, as the first run's "register" does.
    let first = try Self.runner(
      server,
      SessionConfiguration(
        nick: "ada", registration: AccountRegistration(account: "ada", password: "pw-ada-123456")))
    try first.waitUntilRegistered(timeout: .seconds(10))
    #expect(first.session.account == "ada")

    let bobRunner = try Self.runner(
      server,
      SessionConfiguration(
        nick: "bob", registration: AccountRegistration(account: "bob", password: "pw-bob-123456")))
    try bobRunner.waitUntilRegistered(timeout: .seconds(10))
    try bobRunner.join("#lab", timeout: .seconds(5))
    try bobRunner.post(to: "#lab", text: "Root of a thread", replyTo: nil, timeout: .seconds(5))
    let root = try #require(bobRunner.session.buffers[BufferKey(target: "#lab")]?.newestMsgid)
    try bobRunner.post(to: "#lab", text: "A reply", replyTo: root, timeout: .seconds(5))
    // Direct messages reach only someone online (today); ada's first session is.
    try bobRunner.post(to: "ada", text: "A direct word", replyTo: nil, timeout: .seconds(5))
    first.quit()

    // ada logs in with SCRAM-SHA-256 on a new connection: the direct conversation comes back
    // through TARGETS, the room's history and its thread through CHATHISTORY.
    let ada = try Self.runner(
      server,
      SessionConfiguration(
        nick: "ada", login: .scram(account: "ada", password: "pw-ada-123456"),
        channels: ["#lab"]))
    try ada.waitUntilRegistered(timeout: .seconds(10))
    #expect(ada.session.account == "ada")
    var loaded: Set<String> = []
    while loaded.count < 2 {
      let event = try ada.run(timeout: .seconds(10)) {
        if case .historyLoaded = $0 { return true }
        return false
      }
      guard case .historyLoaded(let target, _)? = event else {
        Issue.record("history did not arrive; loaded \(loaded)")
        break
      }
      loaded.insert(IRCSession.fold(target))
    }
    let direct = ada.session.buffers[BufferKey(target: "bob")]
    #expect(direct?.lines.map(\.text) == ["A direct word"])
    let lab = try #require(ada.session.buffers[BufferKey(target: "#lab")])
    #expect(
      lab.lines.filter { $0.kind == .message }.map(\.text) == ["Root of a thread", "A reply"])
    #expect(lab.threads[root]?.replyCount == 1)

    // The wrong SCRAM password is refused, and the runner says so.
    let wrong = try Self.runner(
      server,
      SessionConfiguration(nick: "eve", login: .scram(account: "ada", password: "not-it")))
    #expect(throws: ClientFailure.self) { try wrong.waitUntilRegistered(timeout: .seconds(10)) }
  }
}
