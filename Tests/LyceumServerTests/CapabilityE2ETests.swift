import LyceumProtocol
import Testing

/// IRCv3 over real sockets: capability negotiation, labeled-response, echo-message, tags.
@Suite struct CapabilityE2ETests {
  /// The capability names offered by `CAP LS 302`, with their values.
  static func advertised(_ lines: [IRCMessage]) -> [String: String] {
    var caps: [String: String] = [:]
    for line in lines where line.command == "CAP" && line.params.count > 2 && line.params[1] == "LS"
    {
      for entry in line.trailing.split(separator: " ") {
        let parts = entry.split(separator: "=", maxSplits: 1)
        caps[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
      }
    }
    return caps
  }

  @Test func capNegotiationOverTLS() throws {
    let server = try TestServer()
    defer { server.stop() }
    let client = try server.connect(name: "capper")
    try client.send("CAP LS 302")
    try client.send("NICK capper")
    try client.send("USER capper 0 * :Cap Per")
    let ls = try client.readUntil("final CAP LS") {
      $0.command == "CAP" && $0.params.count == 3 && $0.params[1] == "LS"
    }
    let caps = Self.advertised(ls)
    for name in ["message-tags", "server-time", "echo-message", "batch", "labeled-response"] {
      #expect(caps[name] != nil, "CAP LS lacks \(name): \(caps.keys.sorted())")
    }
    #expect(
      caps["sts"]?.hasPrefix("duration=") == true,
      "TLS listener sts value: \(caps["sts"] ?? "none")")

    // Registration waits for CAP END: NICK and USER are in, but no 001 yet.
    let beforeEnd = try client.sync()
    #expect(!beforeEnd.contains { $0.command == "001" }, "001 sent before CAP END")

    // REQ is atomic: an unknown capability makes the whole request fail.
    try client.send("CAP REQ :server-time no-such-cap")
    let nak = try client.expect("CAP")
    #expect(nak.params[1] == "NAK")
    #expect(nak.trailing == "server-time no-such-cap")
    try client.send("CAP LIST")
    let emptyList = try client.expect("CAP")
    #expect(emptyList.params[1] == "LIST")
    #expect(!emptyList.trailing.contains("server-time"))

    try client.send("CAP REQ :server-time message-tags")
    let ack = try client.expect("CAP")
    #expect(ack.params[1] == "ACK")
    #expect(ack.trailing == "server-time message-tags")
    try client.send("CAP LIST")
    let list = try client.expect("CAP")
    #expect(list.params[1] == "LIST")
    let enabled = Set(list.trailing.split(separator: " ").map(String.init))
    #expect(enabled.isSuperset(of: ["server-time", "message-tags"]))
    #expect(!enabled.contains("echo-message"))

    try client.send("CAP END")
    try client.expect("001")
  }

  @Test func stsAdvertisesTheTLSPortOnPlaintext() throws {
    let server = try TestServer()
    defer { server.stop() }
    let client = try server.connect(tls: false, name: "plain")
    try client.send("CAP LS 302")
    let ls = try client.readUntil("final CAP LS") {
      $0.command == "CAP" && $0.params.count == 3 && $0.params[1] == "LS"
    }
    #expect(Self.advertised(ls)["sts"] == "port=\(server.tlsPort)")
  }

  @Test func labeledResponses() throws {
    let server = try TestServer()
    defer { server.stop() }
    let caps = ["labeled-response", "batch", "echo-message", "message-tags", "server-time"]
    let op = try server.registered("labeler", caps: caps)
    let other = try server.registered("other")
    try op.join("#lab")
    try other.join("#lab")

    // A labelled PRIVMSG under echo-message: the echo carries the label.
    try op.send("@label=pm1 PRIVMSG #lab :labelled hello")
    let echo = try op.expect("PRIVMSG")
    #expect(echo.tagValue("label") == "pm1")
    #expect(echo.trailing == "labelled hello")
    let relayed = try other.expect("PRIVMSG")
    #expect(relayed.tag("label") == nil, "the label leaked to another client")

    // A labelled PING: PONG with the label.
    try op.send("@label=ping1 PING :tok")
    let pong = try op.expect("PONG")
    #expect(pong.tagValue("label") == "ping1")
    #expect(pong.trailing == "tok")

    // A labelled command without a reply: ACK.
    try op.send("@label=ack1 PONG :whatever")
    let ack = try op.expect("ACK")
    #expect(ack.tagValue("label") == "ack1")

    // A labelled multi-line reply: the ban list in a labeled-response batch.
    try op.send("MODE #lab +b one!*@*")
    try op.send("MODE #lab +b two!*@*")
    try op.sync()
    try op.send("@label=bans MODE #lab b")
    let lines = try op.readUntil("BATCH end") {
      $0.command == "BATCH" && $0.params[0].hasPrefix("-")
    }
    let start = try #require(lines.first { $0.command == "BATCH" && $0.params[0].hasPrefix("+") })
    #expect(start.tagValue("label") == "bans")
    #expect(start.params.count >= 2 && start.params[1] == "labeled-response")
    let id = String(start.params[0].dropFirst())
    #expect(lines.last?.params[0] == "-\(id)")
    let inside = lines.drop { $0 != start }.dropFirst().dropLast()
    #expect(inside.map(\.command) == ["367", "367", "368"])
    #expect(inside.allSatisfy { $0.tagValue("batch") == id })
    #expect(inside.filter { $0.command == "367" }.map { $0.params[2] } == ["one!*@*", "two!*@*"])

    // JOIN with a topic: JOIN, 332, 333 (and names) in one batch.
    try op.send("TOPIC #lab :Lab topic")
    try op.sync()
    try op.send("PART #lab")
    try op.sync()
    try op.send("@label=join1 JOIN #lab")
    let joinLines = try op.readUntil("BATCH end") {
      $0.command == "BATCH" && $0.params[0].hasPrefix("-")
    }
    let joinStart = try #require(joinLines.first { $0.command == "BATCH" })
    #expect(joinStart.tagValue("label") == "join1")
    let joinID = String(joinStart.params[0].dropFirst())
    let commands = joinLines.filter { $0.tagValue("batch") == joinID }.map(\.command)
    #expect(Array(commands.prefix(3)) == ["JOIN", "332", "333"])
  }

  @Test func echoMessageServerTimeAndTags() throws {
    let server = try TestServer()
    defer { server.stop() }
    let sender = try server.registered(
      "sender", caps: ["echo-message", "server-time", "message-tags"])
    let tagged = try server.registered("tagged", caps: ["server-time", "message-tags"])
    let plain = try server.registered("plainy")
    for client in [sender, tagged, plain] { try client.join("#tags") }

    try sender.send("@+draft/react=yes PRIVMSG #tags :with tags")
    let echo = try sender.expect("PRIVMSG")
    let received = try tagged.expect("PRIVMSG")
    let bare = try plain.expect("PRIVMSG")
    #expect(echo.trailing == "with tags")
    let time = try #require(echo.tagValue("time"))
    let msgid = try #require(echo.tagValue("msgid"))
    #expect(time.hasSuffix("Z") && time.contains("T"), "time tag: \(time)")
    #expect(received.tagValue("time") == time)
    #expect(received.tagValue("msgid") == msgid)
    #expect(received.tagValue("+draft/react") == "yes")
    #expect(echo.tagValue("+draft/react") == "yes")
    #expect(bare.tags.isEmpty, "a client without caps got tags: \(bare.tags)")
    #expect(bare.trailing == "with tags")

    // TAGMSG reaches only message-tags clients.
    try sender.send("@+typing=active TAGMSG #tags")
    let tagEcho = try sender.expect("TAGMSG")
    #expect(tagEcho.tagValue("+typing") == "active")
    let tagmsg = try tagged.expect("TAGMSG")
    #expect(tagmsg.tagValue("+typing") == "active")
    #expect(tagmsg.tagValue("msgid") == tagEcho.tagValue("msgid"))
    try sender.send("PRIVMSG #tags :after tagmsg")
    let plainSaw = try plain.readUntil("PRIVMSG") { $0.command == "PRIVMSG" }
    #expect(plainSaw.last?.trailing == "after tagmsg")
    #expect(plainSaw.with("TAGMSG").isEmpty, "TAGMSG reached a plain client")
  }
}
