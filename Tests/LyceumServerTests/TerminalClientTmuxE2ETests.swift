import Foundation
import LyceumClient
import LyceumServer
import Testing

/// The full-screen client, driven through tmux against a real server: log in, join, receive,
/// open a thread, reply in it, and survive a server restart with the gap filled and no line
/// shown twice.
@Suite(.serialized) struct TerminalClientTmuxE2ETests {
  @Test func chatThreadReplyAndGapFillAfterARestart() throws {
    let binary = try #require(LyceumClientBinary.path, "lyceum was not built")
    try #require(TmuxSession.tmuxPath != nil, "tmux is not installed (apt-get install tmux)")
    var server = try TestServer()
    defer { server.stop() }
    let ports = (tls: server.tlsPort, plain: server.plainPort)

    // bob owns #lab as a registered room, so its history outlives the restart.
    let caps = ["message-tags", "server-time", "echo-message", "batch", "draft/multiline"]
    let bob = try server.registered("bob", caps: caps)
    try bob.registerAccount(password: "bob-password-1")
    try bob.join("#lab")

    let probe = try BlockingLineClient(
      host: "127.0.0.1", port: ports.tls, tls: true, verification: .none)
    let pin = try #require(probe.peerCertificateFingerprintSHA256)
    probe.close()
    let home = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: home) }
    try FileManager.default.createDirectory(
      atPath: home + "/lyceum", withIntermediateDirectories: true)
    // ada has an account and logs in with SASL, at start and after the restart.
    let setup = try server.registered("adasetup")
    try setup.send("REGISTER ada * ada-password-1")
    try setup.expect("REGISTER")
    try setup.send("QUIT")
    _ = try? setup.expectClosed()
    try """
    server 127.0.0.1:\(ports.tls)
    nick ada
    account ada
    password ada-password-1
    channels #lab
    pin \(pin)

    """.write(toFile: home + "/lyceum/config", atomically: true, encoding: .utf8)

    let tmux = try TmuxSession(
      command: "env LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=\(home) \(binary)")
    try tmux.waitFor("the client in #lab, logged in") { rows in
      rows.contains { $0.contains("2 #lab") } && rows.contains { $0.contains("2 members") }
        && rows.contains { $0.contains("account ada") }
    }

    // A message arrives; a reply to it is folded under it with a count.
    try bob.send("PRIVMSG #lab :Draft of the joint paper is ready")
    let echo = try bob.expect("PRIVMSG")
    let root = try #require(echo.tagValue("msgid"))
    try tmux.waitFor("bob's message") { $0.contains { $0.contains("Draft of the joint paper") } }
    try bob.send("@+reply=\(root) PRIVMSG #lab :Section 3 needs the new figures")
    try bob.expect("PRIVMSG")
    try tmux.waitFor("the reply count") { $0.contains { $0.contains("[1 reply") } }

    // A multiline message is one message over two rows; a reaction, a count after it.
    for line in [
      "BATCH +ml draft/multiline #lab", "@batch=ml PRIVMSG #lab :Figures:",
      "@batch=ml PRIVMSG #lab :see the shared drive", "BATCH -ml",
    ] { try bob.send(line) }
    let figures = try #require(try bob.expect("BATCH").tagValue("msgid"))
    try bob.send("@+draft/react=👍;+draft/reply=\(figures) TAGMSG #lab")
    try tmux.waitFor("the multiline message and its reaction") { rows in
      guard let first = rows.firstIndex(where: { $0.contains("bob Figures:") }) else {
        return false
      }
      return rows.count > first + 1 && rows[first + 1].contains("see the shared drive  👍 1")
    }

    // The thread view, and a reply from it.
    try tmux.type("/thread")
    try tmux.waitFor("the thread view") { rows in
      rows[0].contains("#lab ↳") && rows.contains { $0.contains("Section 3 needs") }
    }
    try tmux.type("I will send them tonight")
    let reply = try bob.expect("PRIVMSG", where: { $0.params.last == "I will send them tonight" })
    #expect(reply.tagValue("+reply") == root)
    try tmux.send("Escape")
    try tmux.waitFor("back in the room") { !$0[0].contains("↳") }

    // The server restarts on the same ports; bob says something before ada is back.
    server = try server.restarted { configuration in
      configuration.listeners = [
        .init(host: "127.0.0.1", port: ports.tls, tls: true),
        .init(host: "127.0.0.1", port: ports.plain, tls: false),
      ]
    }
    let bob2 = try server.connect(name: "bob2")
    try bob2.send("PASS bob:bob-password-1")
    try bob2.register(nick: "bob", caps: caps)
    try bob2.join("#lab")
    // ada's client waits a second before reconnecting: this line is a real gap for it.
    try bob2.send("NAMES #lab")
    let names = try bob2.expect("353")
    #expect(!(names.params.last ?? "").contains("ada"), "ada was back before the gap")
    try bob2.send("PRIVMSG #lab :Said while ada was away")
    try bob2.expect("PRIVMSG", where: { $0.params.last == "Said while ada was away" })

    let rows = try tmux.waitFor("the gap filled after the reconnect", timeout: .seconds(30)) {
      $0.contains { $0.contains("Said while ada was away") }
        && $0.contains { $0.contains("account ada") }
    }
    // Nothing shown twice.
    let count = { (text: String) in rows.filter { $0.contains(text) }.count }
    #expect(count("Draft of the joint paper") == 1)
    #expect(count("Said while ada was away") == 1)

    // Down to 40×10 and back: still drawn, the input line last, still typing.
    try tmux.resize(width: 40, height: 10)
    try tmux.waitFor("the small screen") { rows in
      rows.count >= 10 && rows[9].hasPrefix(">") && rows.contains { $0.contains("ada") }
    }
    try tmux.send("-l", "still here")
    try tmux.waitFor("typing on the small screen") { $0[9].contains("still here") }
    try tmux.resize(width: 100, height: 30)
    try tmux.waitFor("the big screen again") { $0.count >= 30 && $0[29].contains("still here") }
  }

  @Test func firstRunAsksRegistersTrustsAndChats() throws {
    let binary = try #require(LyceumClientBinary.path, "lyceum was not built")
    try #require(TmuxSession.tmuxPath != nil, "tmux is not installed (apt-get install tmux)")
    let server = try TestServer()
    defer { server.stop() }
    let watcher = try server.registered("watcher")
    try watcher.join("#welcome")
    let home = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: home) }

    let tmux = try TmuxSession(
      command: "env LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=\(home) \(binary)")
    let answers: [(prompt: String, answer: String)] = [
      ("Server", "127.0.0.1:\(server.tlsPort)"), ("Nick", "newbie"), ("[r]egister", "r"),
      ("Account", ""), ("Password", "a-long-password-1"), ("Keep the password", "yes"),
      ("E-mail", ""), ("Rooms", "#welcome"), ("Trust this certificate", "y"),
    ]
    for (prompt, answer) in answers {
      try tmux.waitFor("the question \(prompt)") { $0.contains { $0.contains(prompt) } }
      try tmux.type(answer)
    }
    try tmux.waitFor("the room, logged in to the new account") { rows in
      rows.contains { $0.contains("2 #welcome") } && rows.contains { $0.contains("account newbie") }
    }
    try tmux.type("Hello, I am new here")
    let hello = try watcher.expect("PRIVMSG", where: { $0.trailing == "Hello, I am new here" })
    #expect(hello.sourceNick == "newbie")

    // The file holds the pin, and only its owner may read it.
    let path = home + "/lyceum/config"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("pin ") && text.contains("account newbie"))
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
