import LyceumProtocol
import Testing

@testable import LyceumCore

/// Registration through real `CAP`/`NICK`/`USER`/`PASS`, checked against Modern IRC
/// ("Connection Registration", "Numerics") and the IRCv3 capability negotiation spec.
@Suite("Registration")
struct RegistrationTests {
  @Test func welcomeBurstOrderAndForms() {
    let h = CoreHarness()
    let id = h.connect()
    #expect(h.exchange("CAP LS 302", from: id).commands == ["CAP"])
    #expect(h.exchange("NICK alice", from: id).isEmpty)
    // Registration is suspended until CAP END once negotiation started.
    #expect(h.exchange("USER al 0 * :Alice Example", from: id).isEmpty)
    #expect(!h.client(id).isRegistered)
    let burst = h.exchange("CAP END", from: id)
    #expect(h.client(id).isRegistered)
    // As many 005 lines as the tokens need, 13 to a line.
    let isupportLines = (h.core.isupportTokens.count + 12) / 13
    #expect(
      burst.commands == ["001", "002", "003", "004"] + Array(repeating: "005", count: isupportLines)
        + ["251", "254", "255", "265", "266", "375", "372", "376"])
    #expect(burst.allSatisfy { $0.source == "irc.test" && $0.params.first == "alice" })
    #expect(burst[0].params.count == 2)
    #expect(burst[0].params[1].hasSuffix("alice!al@198.51.100.7"))
    #expect(burst[1].numericParams == ["Your host is irc.test, running version lyceum-0.1.0"])
    #expect(burst[2].numericParams.count == 1)
    #expect(burst[2].numericParams[0].hasPrefix("This server was created "))
    #expect(
      burst[3].numericParams == ["irc.test", "lyceum-0.1.0", "Bio", "CIbeiklmnostv", "Ibeklov"])
    let afterISupport = Array(burst.dropFirst(4 + isupportLines))
    #expect(
      afterISupport.map(\.numericParams) == [
        ["There are 1 users and 0 invisible on 1 servers"], ["0", "channels formed"],
        ["I have 1 clients and 0 servers"], ["1", "1", "Current local users 1, max 1"],
        ["1", "1", "Current global users 1, max 1"], ["- irc.test Message of the day - "],
        ["- Welcome to Lyceum."], ["End of /MOTD command."],
      ])
  }

  @Test func isupportHasAtMostThirteenTokensPerLine() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("NICK alice", from: id)
    let burst = h.exchange("USER al 0 * :Alice", from: id)
    let lines = burst.with("005")
    #expect(!lines.isEmpty)
    var tokens: [String] = []
    for line in lines {
      let params = line.numericParams
      #expect(params.last == "are supported by this server")
      let lineTokens = params.dropLast()
      #expect(!lineTokens.isEmpty && lineTokens.count <= 13)
      tokens += lineTokens
    }
    #expect(tokens.contains("CASEMAPPING=rfc1459"))
    #expect(tokens.contains("CHANTYPES=#"))
    #expect(tokens.contains("PREFIX=(ov)@+"))
    #expect(tokens.contains("UTF8ONLY"))
    #expect(tokens.contains("WHOX"))
    #expect(tokens.contains("CHANMODES=Ibe,k,l,Cimnst"))
    #expect(tokens.contains { $0.hasPrefix("TARGMAX=") && $0.contains("PRIVMSG:4") })
    #expect(Set(tokens).count == tokens.count)
  }

  @Test func withoutCapRegistrationCompletesOnUser() {
    let h = CoreHarness()
    let id = h.connect()
    #expect(h.exchange("USER al 0 * :Alice", from: id).isEmpty)
    let burst = h.exchange("NICK alice", from: id)
    #expect(burst.first?.command == "001")
    #expect(h.client(id).user == "al")
    #expect(h.client(id).realname == "Alice")
  }

  @Test func registerHelperNegotiatesCapabilities() {
    let h = CoreHarness()
    let id = h.register(nick: "alice", caps: ["echo-message", "server-time"])
    #expect(h.client(id).isRegistered)
    #expect(h.session(id).capabilities.isSuperset(of: [.echoMessage, .serverTime]))
  }

  @Test func serverPasswordAccepted() {
    let h = CoreHarness { $0.password = "sesame" }
    let id = h.connect()
    #expect(h.exchange("PASS sesame", from: id).isEmpty)
    h.send("NICK alice", from: id)
    let burst = h.exchange("USER al 0 * :Alice", from: id)
    #expect(burst.first?.command == "001")
    #expect(h.closed.isEmpty)
  }

  @Test func wrongServerPasswordGets464ThenError() {
    let h = CoreHarness { $0.password = "sesame" }
    let id = h.connect()
    h.send("PASS nope", from: id)
    h.send("NICK alice", from: id)
    let reply = h.exchange("USER al 0 * :Alice", from: id)
    #expect(reply.commands == ["464", "ERROR"])
    #expect(reply.first?.params == ["alice", "Password incorrect"])
    #expect(h.closed == [id])
    #expect(h.core.clients[id] == nil)
  }

  @Test func missingServerPasswordIsRefused() {
    let h = CoreHarness { $0.password = "sesame" }
    let id = h.connect()
    h.send("NICK alice", from: id)
    #expect(h.exchange("USER al 0 * :Alice", from: id).commands == ["464", "ERROR"])
    #expect(h.closed == [id])
  }

  @Test func userAndPassAfterRegistrationGet462() {
    let h = CoreHarness()
    let id = h.register(nick: "alice")
    for line in ["USER al 0 * :Alice", "PASS secret"] {
      let reply = h.exchange(line, from: id)
      #expect(reply.commands == ["462"])
      #expect(reply.first?.params == ["alice", "You may not reregister"])
    }
  }

  @Test func commandsBeforeRegistrationGet451() {
    let h = CoreHarness()
    let id = h.connect()
    for line in ["JOIN #a", "PRIVMSG bob :hi", "MODE alice"] {
      let reply = h.exchange(line, from: id)
      #expect(reply.commands == ["451"])
      #expect(reply.first?.params == ["*", "You have not registered"])
    }
    // PING is allowed before registration.
    #expect(h.exchange("PING x", from: id).commands == ["PONG"])
  }

  @Test func unknownCommandGets421() {
    let h = CoreHarness()
    let id = h.register(nick: "alice")
    let reply = h.exchange("FROBNICATE now", from: id)
    #expect(reply.commands == ["421"])
    #expect(reply.first?.params == ["alice", "FROBNICATE", "Unknown command"])
  }

  @Test func missingParametersGet461() {
    let h = CoreHarness()
    let pre = h.connect()
    let user = h.exchange("USER al", from: pre)
    #expect(user.commands == ["461"])
    #expect(user.first?.params == ["*", "USER", "Not enough parameters"])
    let id = h.register(nick: "alice")
    for command in ["JOIN", "PART", "TOPIC", "KICK #a", "MODE"] {
      let reply = h.exchange(command, from: id)
      #expect(reply.commands == ["461"])
      #expect(
        reply.first?.numericParams == [
          String(command.prefix { $0 != " " }), "Not enough parameters",
        ])
    }
  }

  @Test func nickErrors() {
    let h = CoreHarness()
    h.register(nick: "bob")
    let id = h.register(nick: "alice")
    let none = h.exchange("NICK", from: id)
    #expect(none.commands == ["431"])
    #expect(none.first?.params == ["alice", "No nickname given"])
    for bad in ["1abc", "-dash", "a!b"] {
      let reply = h.exchange("NICK \(bad)", from: id)
      #expect(reply.commands == ["432"])
      #expect(reply.first?.params.prefix(2) == ["alice", bad])
      #expect(reply.first?.params.count == 3)
    }
    let taken = h.exchange("NICK bob", from: id)
    #expect(taken.commands == ["433"])
    #expect(taken.first?.params == ["alice", "bob", "Nickname is already in use"])
    #expect(h.client(id).nick == "alice")
  }

  @Test func nickInUseBeforeRegistrationIsAddressedToStar() {
    let h = CoreHarness()
    h.register(nick: "bob")
    let id = h.connect()
    let reply = h.exchange("NICK BOB", from: id)
    #expect(reply.commands == ["433"])
    #expect(reply.first?.params == ["*", "BOB", "Nickname is already in use"])
  }

  @Test func nickCollisionFollowsRFC1459CaseMapping() {
    let h = CoreHarness()
    h.register(nick: "[a]")
    let id = h.connect()
    let reply = h.exchange("NICK {A}", from: id)
    #expect(reply.commands == ["433"])
    #expect(reply.first?.params == ["*", "{A}", "Nickname is already in use"])
    let other = h.register(nick: "carol")
    #expect(h.exchange("NICK {A}", from: other).commands == ["433"])
    #expect(h.exchange("NICK ^a|", from: other).commands == ["NICK"])
    #expect(h.exchange("NICK ^A\\", from: h.register(nick: "dave")).commands == ["433"])
  }

  @Test func nickChangeSeenOnceByEachPeer() {
    let h = CoreHarness()
    let alice = h.register(nick: "alice", user: "al")
    let bob = h.register(nick: "bob")
    let carol = h.register(nick: "carol")
    let dave = h.register(nick: "dave")
    h.place(alice, in: "#a")
    h.place(alice, in: "#b")
    h.place(bob, in: "#a")
    h.place(bob, in: "#b")
    h.place(carol, in: "#b")
    h.place(dave, in: "#c")
    let own = h.exchange("NICK alicia", from: alice)
    #expect(own.count == 1)
    #expect(own.first?.source == "alice!al@198.51.100.7")
    #expect(own.first?.command == "NICK")
    #expect(own.first?.params == ["alicia"])
    #expect(h.messages(for: bob).map(\.params) == [["alicia"]])
    #expect(h.messages(for: carol).map(\.params) == [["alicia"]])
    #expect(h.messages(for: dave).isEmpty)
    // The old nick is free again and the new one is taken.
    #expect(h.exchange("NICK alice", from: dave).commands == ["NICK"])
    #expect(h.exchange("NICK ALICIA", from: bob).commands == ["433"])
  }

  @Test func nickCaseChangeIsAllowed() {
    let h = CoreHarness()
    let id = h.register(nick: "alice")
    let reply = h.exchange("NICK Alice", from: id)
    #expect(reply.commands == ["NICK"])
    #expect(h.client(id).nick == "Alice")
  }
}
