import LyceumProtocol
import Testing

/// Several real clients over TLS (and plaintext) in one channel: the everyday life of a room.
@Suite struct ChatE2ETests {
  @Test func clientsRegisterJoinTalkRenamePartAndQuit() throws {
    let server = try TestServer()
    defer { server.stop() }
    let alice = try server.registered("alice")
    let bob = try server.registered("bob")
    let carol = try server.registered("carol")
    for client in [alice, bob, carol] { try client.join("#room") }
    // Each joiner is seen by those already there.
    try alice.expect("JOIN") { $0.sourceNick == "bob" }
    try alice.expect("JOIN") { $0.sourceNick == "carol" }
    try bob.expect("JOIN") { $0.sourceNick == "carol" }

    // Every client talks once. Each waits for its PING round trip, so the server has handled
    // the message before the next one is sent; a final marker from alice then proves that
    // everything before it has arrived everywhere.
    let everyone = [alice, bob, carol]
    var logs: [String: [IRCMessage]] = [:]
    for client in everyone {
      try client.send("PRIVMSG #room :hello from \(client.name)")
      logs[client.name, default: []] += try client.sync()
    }
    try alice.send("PRIVMSG #room :marker")
    logs["alice", default: []] += try alice.sync()
    for client in [bob, carol] {
      logs[client.name, default: []] += try client.readUntil("marker") {
        $0.command == "PRIVMSG" && $0.trailing == "marker"
      }
    }
    for client in everyone {
      let seen = logs[client.name] ?? []
      for sender in everyone where sender !== client {
        let copies = seen.filter {
          $0.command == "PRIVMSG" && $0.trailing == "hello from \(sender.name)"
        }
        #expect(copies.count == 1, "\(client.name) got \(copies.count) copies from \(sender.name)")
        #expect(copies.first?.sourceNick == sender.name)
        #expect(copies.first?.params.first == "#room")
      }
      #expect(
        !seen.contains { $0.trailing == "hello from \(client.name)" },
        "\(client.name) got its own message without echo-message")
    }
    #expect(!(logs["alice"] ?? []).contains { $0.trailing == "marker" })

    // NICK is seen by the peers.
    try bob.send("NICK robert")
    let ownNick = try bob.expect("NICK")
    #expect(ownNick.sourceNick == "bob" && ownNick.params == ["robert"])
    for peer in [alice, carol] {
      let nick = try peer.expect("NICK")
      #expect(nick.sourceNick == "bob")
      #expect(nick.params == ["robert"])
    }

    // PART with a reason.
    try carol.send("PART #room :see you")
    try carol.expect("PART")
    for peer in [alice, bob] {
      let part = try peer.expect("PART")
      #expect(part.sourceNick == "carol")
      #expect(part.params == ["#room", "see you"])
    }

    // QUIT: the peer sees the reason; the quitter gets ERROR, then the server closes.
    try bob.send("QUIT :gone fishing")
    let quit = try alice.expect("QUIT")
    #expect(quit.sourceNick == "robert")
    #expect(quit.trailing.contains("gone fishing"))
    let last = try bob.expectClosed()
    #expect(last.last?.command == "ERROR", "quitter's last line should be ERROR: \(last)")
    #expect(last.with("ERROR").count == 1)

    // The room still works for those who stayed.
    try carol.join("#room")
    try alice.expect("JOIN") { $0.sourceNick == "carol" }
    try carol.send("PRIVMSG #room :still here")
    #expect(try alice.expect("PRIVMSG").trailing == "still here")
  }

  @Test func plaintextListenerWorksAlongsideTLS() throws {
    let server = try TestServer()
    defer { server.stop() }
    let plain = try server.registered("plainpat", tls: false)
    let secure = try server.registered("tlstom", tls: true)
    try plain.join("#mixed")
    try secure.join("#mixed")
    try plain.expect("JOIN") { $0.sourceNick == "tlstom" }

    try plain.send("PRIVMSG #mixed :from plaintext")
    let atTLS = try secure.expect("PRIVMSG")
    #expect(atTLS.sourceNick == "plainpat")
    #expect(atTLS.params == ["#mixed", "from plaintext"])

    try secure.send("PRIVMSG #mixed :from TLS")
    let atPlain = try plain.expect("PRIVMSG")
    #expect(atPlain.sourceNick == "tlstom")
    #expect(atPlain.params == ["#mixed", "from TLS"])

    try plain.send("PRIVMSG tlstom :direct")
    #expect(try secure.expect("PRIVMSG").params == ["tlstom", "direct"])
  }

  @Test func serverPasswordIsEnforced() throws {
    let server = try TestServer { $0.password = "s3cret" }
    defer { server.stop() }

    let wrong = try server.connect(name: "wrong")
    try wrong.send("PASS nope")
    try wrong.send("NICK wrong")
    try wrong.send("USER wrong 0 * :Wrong")
    let lines = try wrong.expectClosed()
    #expect(lines.contains { $0.command == "464" }, "expected 464 ERR_PASSWDMISMATCH")
    #expect(lines.last?.command == "ERROR")
    #expect(!lines.contains { $0.command == "001" })

    let missing = try server.connect(name: "missing")
    try missing.send("NICK missing")
    try missing.send("USER missing 0 * :Missing")
    let missingLines = try missing.expectClosed()
    #expect(missingLines.contains { $0.command == "464" })
    #expect(!missingLines.contains { $0.command == "001" })

    let right = try server.connect(name: "right")
    try right.send("PASS s3cret")
    try right.send("NICK right")
    try right.send("USER right 0 * :Right")
    let welcome = try right.expect("001")
    #expect(welcome.params.first == "right")
  }
}
