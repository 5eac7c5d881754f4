import LyceumProtocol
import Testing

@testable import LyceumCore

/// Edge cases of the IRCv3 specs found in review: tag size, echo as delivery confirmation,
/// messages to oneself, label length, case-sensitive capability names, byte-counted limits.
@Suite("IRCv3 edge cases")
struct SpecEdgeTests {
  private func pair(
    alice: CapabilitySet = [], bob: CapabilitySet = []
  ) -> (CoreHarness, ClientID, ClientID) {
    let h = CoreHarness()
    let a = h.connectRegistered("alice", user: "al", capabilities: alice)
    let b = h.connectRegistered("bob", capabilities: bob)
    for id in [a, b] { h.place(id, in: "#a") }
    return (h, a, b)
  }

  /// message-tags: client-only tag data over 4094 bytes is refused with 417.
  @Test func clientTagsOver4094BytesAre417() {
    let (h, alice, bob) = pair(alice: [.messageTags], bob: [.messageTags])
    let big = String(repeating: "v", count: 4094 - "+big=".utf8.count)
    #expect(h.exchange("@+big=\(big) PRIVMSG #a :fits", from: alice).isEmpty)
    #expect(h.messages(for: bob).commands == ["PRIVMSG"])
    let reply = h.exchange("@+big=\(big)x PRIVMSG #a :too much", from: alice)
    #expect(reply.commands == ["417"])
    #expect(h.messages(for: bob).isEmpty)
  }

  /// echo-message: the echo confirms delivery, so a refused message is not echoed.
  @Test func refusedMessagesAreNotEchoed() {
    let (h, alice, _) = pair(alice: [.echoMessage])
    #expect(h.exchange("PRIVMSG nobody :x", from: alice).commands == ["401"])
    #expect(h.exchange("PRIVMSG #a,nobody :x", from: alice).commands == ["PRIVMSG", "401"])
  }

  /// labeled-response: a message to oneself arrives as delivered (no label) and as the
  /// labelled echo.
  @Test func messageToSelfWithEchoArrivesTwice() {
    let caps: CapabilitySet = [.echoMessage, .labeledResponse, .batch, .messageTags]
    let (h, alice, _) = pair(alice: caps)
    let lines = h.exchange("@label=l1 PRIVMSG alice :note to self", from: alice)
    #expect(lines.commands == ["PRIVMSG", "PRIVMSG"])
    #expect(lines.filter { $0.tag("label") == .some("l1") }.count == 1)
  }

  /// labeled-response: labels longer than 64 bytes are ignored.
  @Test func overlongLabelIsIgnored() {
    let (h, alice, _) = pair(alice: [.labeledResponse, .batch])
    let label = String(repeating: "x", count: 65)
    let reply = h.exchange("@label=\(label) PING t", from: alice)
    #expect(reply.commands == ["PONG"])
    #expect(reply.first?.tag("label") == nil)
  }

  /// Capability names are case-sensitive.
  @Test func capabilityNamesAreCaseSensitive() {
    let (h, alice, _) = pair()
    #expect(
      h.exchange("CAP REQ :Echo-Message", from: alice).first?.params.dropFirst() == [
        "NAK", "Echo-Message",
      ])
  }

  /// cap-notify may be disabled by a client that did not send `CAP LS 302`.
  @Test func capNotifyCanBeDroppedWithoutVersion302() {
    let (h, alice, bob) = pair()
    #expect(h.exchange("CAP REQ :cap-notify", from: alice).first?.params[1] == "ACK")
    #expect(h.exchange("CAP REQ :-cap-notify", from: alice).first?.params[1] == "ACK")
    h.send("CAP LS 302", from: bob)
    _ = h.messages(for: bob)
    #expect(h.exchange("CAP REQ :-cap-notify", from: bob).first?.params[1] == "NAK")
  }

  /// TOPICLEN counts bytes, and a cut never splits a character.
  @Test func topicIsCutAtTopiclenBytes() {
    let h = CoreHarness { $0.limits.topicLength = 5 }
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.send("TOPIC #a :añoñó", from: alice)
    #expect(h.channel("#a").topic?.text == "año")
  }
}

@Suite("ADMIN and INVITE listing")
struct AdminAndInviteListTests {
  @Test func adminShowsConfiguredLines() {
    let h = CoreHarness { $0.adminInfo = ["Dept. of Classics", "Room 12", "irc@uni.example"] }
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("ADMIN", from: alice)
    #expect(reply.commands == ["256", "257", "258", "259"])
    #expect(reply.first?.params == ["alice", "irc.test", "Administrative info"])
    #expect(reply.last?.params == ["alice", "irc@uni.example"])
  }

  @Test func inviteAloneListsInvitations() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    let alice = h.connectRegistered("alice")
    h.place(owner, in: "#b", as: Membership(isOperator: true))
    h.place(owner, in: "#a", as: Membership(isOperator: true))
    h.send("INVITE alice #b", from: owner)
    h.send("INVITE alice #a", from: owner)
    _ = h.messages(for: alice)
    let reply = h.exchange("INVITE", from: alice)
    #expect(reply.commands == ["336", "336", "337"])
    #expect(reply.map { $0.params[1] } == ["#a", "#b", "End of /INVITE list"])
    #expect(h.exchange("INVITE alice", from: owner).commands == ["461"])
  }
}
