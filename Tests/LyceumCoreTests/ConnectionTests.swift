import LyceumProtocol
import Testing

@testable import LyceumCore

/// IRCv3 labeled-response (with batch), connection timeouts, QUIT and lines the framer rejected
/// (Modern IRC ERR_INPUTTOOLONG, IRCv3 UTF8ONLY/standard-replies).
@Suite("labeled-response")
struct LabeledResponseTests {
  @Test func connectionsBeyondMaxClientsAreToldTheServerIsFull() {
    let h = CoreHarness { $0.limits.maxClients = 2 }
    let first = h.connect()
    let second = h.connect()
    let third = h.connect()
    #expect(h.lines(for: third).last?.hasPrefix("ERROR :Closing Link:") == true)
    #expect(h.closed == [third])
    #expect(!h.closed.contains(first) && !h.closed.contains(second))
  }

  @Test func singleReplyCarriesTheLabel() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", capabilities: [.batch, .labeledResponse])
    let reply = h.exchange("@label=abc PING token", from: alice)
    #expect(reply.count == 1)
    #expect(reply.first?.command == "PONG")
    #expect(reply.first?.tags == [IRCTag("label", "abc")])
  }

  @Test func noReplyGivesAck() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", capabilities: [.batch, .labeledResponse])
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    let reply = h.exchange("@label=n1 PRIVMSG #a :hello all", from: alice)
    #expect(reply.count == 1)
    #expect(reply.first?.command == "ACK")
    #expect(reply.first?.source == "irc.test")
    #expect(reply.first?.params == [])
    #expect(reply.first?.tags == [IRCTag("label", "n1")])
    #expect(h.messages(for: bob).first?.tags.isEmpty == true)
  }

  @Test func severalRepliesGoInALabelledBatch() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", capabilities: [.batch, .labeledResponse])
    h.place(alice, in: "#a")
    h.channel("#a").topic = Topic(text: "t", setBy: "x", setAtMilliseconds: 0)
    let reply = h.exchange("@label=m1 TOPIC #a", from: alice)
    #expect(reply.commands == ["BATCH", "332", "333", "BATCH"])
    let start = reply[0]
    #expect(start.tags == [IRCTag("label", "m1")])
    #expect(start.params.count == 2)
    #expect(start.params[1] == "labeled-response")
    let reference = String(start.params[0].dropFirst())
    #expect(start.params[0].hasPrefix("+") && !reference.isEmpty)
    for inner in reply[1...2] {
      #expect(inner.tags == [IRCTag("batch", reference)])
    }
    #expect(reply[3].params == ["-" + reference])
    #expect(reply[3].tags.isEmpty)
  }

  @Test func labelIgnoredWithoutBothCapabilities() {
    let h = CoreHarness()
    for caps in [CapabilitySet(), [.labeledResponse], [.batch]] as [CapabilitySet] {
      let id = h.connectRegistered("u\(caps.rawValue)", capabilities: caps)
      let reply = h.exchange("@label=abc PING token", from: id)
      #expect(reply.commands == ["PONG"])
      #expect(reply.first?.tags.isEmpty == true)
      #expect(h.exchange("@label=abc TAGMSG nobody-here", from: id).allSatisfy { $0.tags.isEmpty })
    }
  }

  @Test func echoedMessageIsTheLabelledReply() {
    let h = CoreHarness()
    let alice = h.connectRegistered(
      "alice", capabilities: [.batch, .labeledResponse, .echoMessage, .messageTags])
    h.place(alice, in: "#a")
    let reply = h.exchange("@label=e1 PRIVMSG #a :hello all", from: alice)
    #expect(reply.commands == ["PRIVMSG"])
    #expect(reply.first?.tag("label") == .some("e1"))
  }
}

@Suite("Timeouts")
struct TimeoutTests {
  @Test func unregisteredClientIsDroppedAfterRegistrationTimeout() {
    let h = CoreHarness { $0.timeouts.registration = .seconds(10) }
    let id = h.connect()
    h.send("NICK alice", from: id)
    h.clock.advance(by: .seconds(9))
    h.core.tick()
    #expect(h.messages(for: id).isEmpty)
    #expect(h.closed.isEmpty)
    h.clock.advance(by: .seconds(1))
    h.core.tick()
    let out = h.messages(for: id)
    #expect(out.commands == ["ERROR"])
    #expect(out.first?.params.count == 1)
    #expect(h.closed == [id])
    #expect(h.core.clients[id] == nil)
  }

  @Test func idleClientIsPingedThenDropped() {
    let h = CoreHarness {
      $0.timeouts.pingInterval = .seconds(90)
      $0.timeouts.pingTimeout = .seconds(60)
    }
    let alice = h.register(nick: "alice", user: "al")
    let bob = h.register(nick: "bob")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    h.clock.advance(by: .seconds(89))
    h.send("PING keepalive", from: bob)
    _ = h.messages(for: bob)
    h.core.tick()
    #expect(h.messages(for: alice).isEmpty)
    h.clock.advance(by: .seconds(1))
    h.core.tick()
    let ping = h.messages(for: alice)
    #expect(ping.commands == ["PING"])
    #expect(ping.first?.params == ["irc.test"])
    h.clock.advance(by: .seconds(59))
    h.core.tick()
    #expect(h.messages(for: alice).isEmpty)
    h.clock.advance(by: .seconds(1))
    h.core.tick()
    let error = h.messages(for: alice)
    #expect(error.commands == ["ERROR"])
    #expect(error.first?.params.first?.contains("Ping timeout") == true)
    #expect(h.closed == [alice])
    let quit = h.messages(for: bob)
    #expect(quit.commands == ["QUIT"])
    #expect(quit.first?.params.first?.hasPrefix("Quit: Ping timeout") == true)
  }

  @Test func anyInputResetsThePingTimer() {
    let h = CoreHarness {
      $0.timeouts.pingInterval = .seconds(90)
      $0.timeouts.pingTimeout = .seconds(60)
    }
    let alice = h.register(nick: "alice")
    h.clock.advance(by: .seconds(90))
    h.core.tick()
    #expect(h.messages(for: alice).commands == ["PING"])
    h.clock.advance(by: .seconds(30))
    h.send("PONG irc.test", from: alice)
    h.clock.advance(by: .seconds(60))
    h.core.tick()
    #expect(h.messages(for: alice).isEmpty)
    #expect(h.closed.isEmpty)
    // Idle again for a full interval: a new PING, not a disconnection.
    h.clock.advance(by: .seconds(30))
    h.core.tick()
    #expect(h.messages(for: alice).commands == ["PING"])
    #expect(h.closed.isEmpty)
  }
}

@Suite("QUIT")
struct QuitTests {
  @Test func peersSeeQuitOnceAndClientGetsError() {
    let h = CoreHarness()
    let alice = h.register(nick: "alice", user: "al")
    let bob = h.register(nick: "bob")
    let loner = h.register(nick: "loner")
    for name in ["#a", "#b"] {
      h.place(alice, in: name)
      h.place(bob, in: name)
    }
    let own = h.exchange("QUIT :off to bed", from: alice)
    #expect(own.commands == ["ERROR"])
    #expect(h.closed == [alice])
    #expect(h.core.clients[alice] == nil)
    let seen = h.messages(for: bob)
    #expect(seen.commands == ["QUIT"])
    #expect(seen.first?.source == "alice!al@198.51.100.7")
    #expect(seen.first?.params == ["Quit: off to bed"])
    #expect(h.messages(for: loner).isEmpty)
    #expect(h.channel("#a").members[alice] == nil)

    let whowas = h.exchange("WHOWAS alice", from: bob)
    #expect(whowas.commands.first == "314")
    #expect(whowas.first?.numericParams.prefix(3) == ["alice", "al", "198.51.100.7"])
    #expect(whowas.commands.last == "369")
  }

  @Test func quitBeforeRegistration() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("NICK alice", from: id)
    #expect(h.exchange("QUIT", from: id).commands == ["ERROR"])
    #expect(h.closed == [id])
    // The nick is free again.
    let other = h.connect()
    #expect(h.exchange("NICK alice", from: other).isEmpty)
  }
}

@Suite("Invalid input")
struct InvalidInputTests {
  @Test func tooLongLineGets417() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.core.receiveInvalidLine(.tooLong, from: alice)
    let reply = h.messages(for: alice)
    #expect(reply.commands == ["417"])
    #expect(reply.first?.source == "irc.test")
    #expect(reply.first?.params == ["alice", "Input line was too long"])
    #expect(h.closed.isEmpty)
  }

  @Test func invalidUTF8GetsFail() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.core.receiveInvalidLine(.invalidUTF8(command: "PRIVMSG"), from: alice)
    let reply = h.messages(for: alice)
    #expect(reply.commands == ["FAIL"])
    #expect(reply.first?.params.prefix(2) == ["PRIVMSG", "INVALID_UTF8"])
    #expect(reply.first?.params.count == 3)
    h.core.receiveInvalidLine(.invalidUTF8(command: nil), from: alice)
    #expect(h.messages(for: alice).first?.params.prefix(2) == ["*", "INVALID_UTF8"])
    #expect(h.closed.isEmpty)
  }
}
