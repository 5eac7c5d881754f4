import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// One account on two connections: the second session joins the first one's client.
@Suite struct AccountsE2ESessionTests {
  @Test func laptopAndPhoneShareOneClient() throws {
    let password = "two-devices-one-me"
    let server = try TestServer(prepare: { directory in
      try AccountSeed.account(directory, "alice", AccountSettings(password: password))
    })
    defer { server.stop() }

    let laptop = try server.connect(name: "laptop")
    try laptop.registerWithPlain(nick: "alice", account: "alice", password: password)
    try laptop.join("#lab")
    let carol = try server.registered("carol")
    try carol.join("#lab")
    try laptop.expect("JOIN") { $0.sourceNick == "carol" }

    // The phone logs in as alice under another nick and gets alice's client: welcome as
    // alice, then the channels she is in.
    let phone = try server.connect(name: "phone")
    try phone.requestCapabilities(["sasl"])
    try phone.sendNickAndUser("alicephone")
    #expect(try phone.authenticatePlain(account: "alice", secret: password).last?.command == "903")
    try phone.send("CAP END")
    let welcome = try phone.expect("001")
    #expect(welcome.params.first == "alice")
    let burst = try phone.sync()
    let join = burst.with("JOIN").first
    #expect(join?.sourceNick == "alice")
    #expect(join?.params.first == "#lab")
    let names = burst.with("353").filter { $0.params.contains("#lab") }
      .flatMap { $0.trailing.split(separator: " ") }
      .map { String($0.drop { "~&@%+".contains($0) }) }
    #expect(names.contains("alice") && names.contains("carol"), "NAMES: \(names)")
    #expect(!burst.contains { $0.command == "NICK" }, "the phone was renamed: \(burst)")
    // Nobody else notices the second session.
    let carolSaw = try carol.sync()
    #expect(
      !carolSaw.contains { ["JOIN", "QUIT", "NICK", "PART"].contains($0.command) },
      "carol saw the phone attach: \(carolSaw)")

    // Carol talks: both sessions get it, once each.
    try carol.send("PRIVMSG #lab :results are in")
    try carol.sync()
    for session in [laptop, phone] {
      let copies = try session.sync().filter {
        $0.command == "PRIVMSG" && $0.trailing == "results are in"
      }
      #expect(copies.count == 1, "\(session.name) got \(copies.count) copies")
      #expect(copies.first?.sourceNick == "carol")
    }

    // The phone talks: the laptop and carol see it, from alice.
    try phone.send("PRIVMSG #lab :sent from my phone")
    try phone.sync()
    for other in [laptop, carol] {
      let copies = try other.sync().filter {
        $0.command == "PRIVMSG" && $0.trailing == "sent from my phone"
      }
      #expect(copies.count == 1, "\(other.name) got \(copies.count) copies")
      #expect(copies.first?.sourceNick == "alice")
      #expect(copies.first?.params.first == "#lab")
    }

    // The phone joins another channel: the laptop follows.
    try phone.send("JOIN #seminar")
    let phoneJoin = try phone.sync().with("JOIN")
    #expect(phoneJoin.contains { $0.params.first == "#seminar" })
    let laptopJoin = try laptop.sync().with("JOIN")
    #expect(laptopJoin.count == 1, "\(laptopJoin)")
    #expect(laptopJoin.first?.sourceNick == "alice")
    #expect(laptopJoin.first?.params.first == "#seminar")

    // The phone hangs up: alice stays, on the laptop, in both channels.
    try phone.send("QUIT :battery")
    try phone.expectClosed()
    try carol.send("PRIVMSG #lab :still there?")
    let carolAfter = try carol.sync()
    #expect(!carolAfter.contains { $0.command == "QUIT" }, "alice quit with her phone")
    let laptopAfter = try laptop.sync()
    #expect(!laptopAfter.contains { $0.command == "QUIT" || $0.command == "ERROR" })
    #expect(laptopAfter.with("PRIVMSG").map(\.trailing) == ["still there?"])
    try laptop.send("NAMES #seminar")
    let seminar = try laptop.sync().with("353").flatMap { $0.trailing.split(separator: " ") }
    #expect(seminar.contains { $0.hasSuffix("alice") }, "NAMES #seminar: \(seminar)")
  }
}
