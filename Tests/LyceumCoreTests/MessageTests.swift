import LyceumProtocol
import Testing

@testable import LyceumCore

/// PRIVMSG, NOTICE and TAGMSG, per Modern IRC ("Sending Messages"), RFC 2812 §3.3 and the IRCv3
/// message-tags, server-time, echo-message, bot-mode and STATUSMSG definitions.
@Suite("PRIVMSG, NOTICE, TAGMSG")
struct MessageTests {
  /// alice (the sender, `al`), bob and carol in `#a`; the capabilities are the caller's.
  private func room(
    alice: CapabilitySet = [], bob: CapabilitySet = [], carol: CapabilitySet = []
  ) -> (CoreHarness, ClientID, ClientID, ClientID) {
    let h = CoreHarness()
    let a = h.connectRegistered("alice", user: "al", capabilities: alice)
    let b = h.connectRegistered("bob", capabilities: bob)
    let c = h.connectRegistered("carol", capabilities: carol)
    for id in [a, b, c] { h.place(id, in: "#a") }
    return (h, a, b, c)
  }

  @Test func channelMessageReachesEveryoneButTheSender() {
    let (h, alice, bob, carol) = room()
    #expect(h.exchange("PRIVMSG #a :hello there", from: alice).isEmpty)
    for id in [bob, carol] {
      #expect(h.lines(for: id) == [":alice!al@198.51.100.7 PRIVMSG #a :hello there"])
    }
    h.send("NOTICE #a :heads up", from: alice)
    #expect(h.lines(for: bob) == [":alice!al@198.51.100.7 NOTICE #a :heads up"])
  }

  @Test func echoMessageCarriesTheSameMsgid() {
    let (h, alice, bob, _) = room(alice: [.echoMessage, .messageTags], bob: [.messageTags])
    let echo = h.exchange("PRIVMSG #a :hi", from: alice)
    let delivered = h.messages(for: bob)
    #expect(echo.count == 1)
    #expect(echo.first?.command == "PRIVMSG")
    #expect(echo.first?.params == ["#a", "hi"])
    #expect(echo.first?.source == "alice!al@198.51.100.7")
    let id = echo.first?.tag("msgid").flatMap { $0 }
    #expect(id != nil)
    #expect(id == delivered.first?.tag("msgid").flatMap { $0 })
  }

  @Test func privateMessageAndNoSuchTarget() {
    let (h, alice, bob, _) = room()
    #expect(h.exchange("PRIVMSG BOB :psst there", from: alice).isEmpty)
    #expect(h.lines(for: bob) == [":alice!al@198.51.100.7 PRIVMSG BOB :psst there"])
    for target in ["nobody", "#nope"] {
      let reply = h.exchange("PRIVMSG \(target) :x", from: alice)
      #expect(reply.commands == ["401"])
      #expect(reply.first?.params == ["alice", target, "No such nick/channel"])
    }
  }

  @Test func cannotSendToChannel() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    let alice = h.connectRegistered("alice")
    h.place(owner, in: "#n", as: Membership(isOperator: true))
    h.place(owner, in: "#m", as: Membership(isOperator: true))
    h.place(owner, in: "#b", as: Membership(isOperator: true))
    h.place(alice, in: "#m")
    h.place(alice, in: "#b")
    h.channel("#m").modes.moderated = true
    h.channel("#b").bans = [ListEntry(mask: "alice!*@*", setBy: "owner", setAtMilliseconds: 0)]
    for name in ["#n", "#m", "#b"] {
      let reply = h.exchange("PRIVMSG \(name) :x", from: alice)
      #expect(reply.commands == ["404"])
      #expect(reply.first?.params.prefix(2) == ["alice", name])
      #expect(reply.first?.params.count == 3)
    }
    #expect(h.messages(for: owner).isEmpty)
    // Voice lets a member speak through +m and +b.
    h.channel("#m").setMembership(Membership(isVoiced: true), for: alice)
    #expect(h.exchange("PRIVMSG #m :x", from: alice).isEmpty)
    #expect(h.messages(for: owner).commands == ["PRIVMSG"])
  }

  @Test func missingRecipientOrText() {
    let (h, alice, _, _) = room()
    let noRecipient = h.exchange("PRIVMSG", from: alice)
    #expect(noRecipient.commands == ["411"])
    #expect(noRecipient.first?.params == ["alice", "No recipient given (PRIVMSG)"])
    for line in ["PRIVMSG bob", "PRIVMSG bob :"] {
      let noText = h.exchange(line, from: alice)
      #expect(noText.commands == ["412"])
      #expect(noText.first?.params == ["alice", "No text to send"])
    }
  }

  @Test func tooManyTargetsGets407AndSendsNothing() {
    let (h, alice, bob, _) = room()
    for nick in ["d1", "d2", "d3"] { h.connectRegistered(nick) }
    let reply = h.exchange("PRIVMSG bob,d1,d2,d3,carol :x", from: alice)
    #expect(reply.commands == ["407"])
    #expect(reply.first?.params.first == "alice")
    #expect(reply.first?.params.count == 3)
    #expect(h.messages(for: bob).isEmpty)
    // Exactly TARGMAX targets are fine.
    #expect(h.exchange("PRIVMSG bob,d1,d2,d3 :x", from: alice).isEmpty)
  }

  @Test func noticeNeverProducesErrors() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.client(bob).awayMessage = "out"
    let owner = h.connectRegistered("owner")
    h.place(owner, in: "#n")
    for line in [
      "NOTICE", "NOTICE bob", "NOTICE nobody :x", "NOTICE #nope :x", "NOTICE #n :x",
      "NOTICE a,b,c,d,e :x", "NOTICE bob :hi",
    ] {
      #expect(h.exchange(line, from: alice).isEmpty, "\(line)")
    }
    #expect(h.messages(for: bob).count == 1)
  }

  @Test func statusMessageReachesOnlyOperators() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let op = h.connectRegistered("op")
    let voiced = h.connectRegistered("voiced")
    let plain = h.connectRegistered("plain")
    h.place(alice, in: "#a")
    h.place(op, in: "#a", as: Membership(isOperator: true))
    h.place(voiced, in: "#a", as: Membership(isVoiced: true))
    h.place(plain, in: "#a")
    #expect(h.exchange("PRIVMSG @#a :ops only", from: alice).isEmpty)
    #expect(h.messages(for: op).map(\.params) == [["@#a", "ops only"]])
    #expect(h.messages(for: voiced).isEmpty)
    #expect(h.messages(for: plain).isEmpty)
  }

  @Test func privmsgToAwayUserGets301() {
    let (h, alice, bob, _) = room()
    h.client(bob).awayMessage = "at lunch"
    let reply = h.exchange("PRIVMSG bob :hi", from: alice)
    #expect(reply.commands == ["301"])
    #expect(reply.first?.params == ["alice", "bob", "at lunch"])
    #expect(h.messages(for: bob).commands == ["PRIVMSG"])
    #expect(h.exchange("NOTICE bob :hi", from: alice).isEmpty)
  }

  @Test func clientTagsOnlyForMessageTagsRecipients() {
    let (h, alice, bob, carol) = room(bob: [.messageTags])
    h.send("@+draft/react=x;+example.com/foo=bar PRIVMSG #a :hi all", from: alice)
    let tagged = h.messages(for: bob).first
    #expect(tagged?.tag("+draft/react") == .some("x"))
    #expect(tagged?.tag("+example.com/foo") == .some("bar"))
    #expect(tagged?.tag("msgid") != nil)
    #expect(tagged?.tag("time") == nil)
    #expect(h.lines(for: carol) == [":alice!al@198.51.100.7 PRIVMSG #a :hi all"])
  }

  @Test func timeTagOnlyForServerTimeRecipients() {
    let (h, alice, bob, carol) = room(bob: [.serverTime])
    h.send("PRIVMSG #a :hi", from: alice)
    let timed = h.messages(for: bob).first
    #expect(timed?.tags.map(\.key) == ["time"])
    #expect(timed?.tag("time") == .some("2023-11-14T22:13:20.000Z"))
    #expect(h.messages(for: carol).first?.tags.isEmpty == true)
  }

  @Test func tagmsgOnlyForMessageTagsRecipients() {
    let (h, alice, bob, carol) = room(alice: [.messageTags], bob: [.messageTags])
    #expect(h.exchange("@+typing=active TAGMSG #a", from: alice).isEmpty)
    let got = h.messages(for: bob)
    #expect(got.commands == ["TAGMSG"])
    #expect(got.first?.params == ["#a"])
    #expect(got.first?.tag("+typing") == .some("active"))
    #expect(h.messages(for: carol).isEmpty)
    // Direct TAGMSG to a client without message-tags is dropped silently.
    #expect(h.exchange("@+typing=active TAGMSG carol", from: alice).isEmpty)
    #expect(h.messages(for: carol).isEmpty)
  }

  @Test func botTagWhenSenderIsBot() {
    let (h, alice, bob, carol) = room(bob: [.messageTags])
    h.send("MODE alice +B", from: alice)
    _ = h.messages(for: alice)
    h.send("PRIVMSG #a :beep", from: alice)
    let got = h.messages(for: bob).first
    #expect(got?.tag("bot") == .some(nil))
    #expect(h.messages(for: carol).first?.tags.isEmpty == true)
  }
}
