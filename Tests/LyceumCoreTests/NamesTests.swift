import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("NAMES")
struct NamesTests {
  @Test func listsMembersWithHighestPrefixThenEnd() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#Physics", as: Membership(isOperator: true, isVoiced: true))
    h.place(bob, in: "#physics")
    let replies = h.exchange("NAMES #physics", from: bob)
    #expect(replies.commands == ["353", "366"])
    #expect(replies[0].params == ["bob", "=", "#Physics", "@alice bob"])
    #expect(replies[1].params == ["bob", "#Physics", "End of /NAMES list"])
  }

  @Test func multiPrefixAndUserhostInNames() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob", capabilities: [.multiPrefix, .userhostInNames])
    h.place(alice, in: "#a", as: Membership(isOperator: true, isVoiced: true))
    h.place(bob, in: "#a")
    let replies = h.exchange("NAMES #a", from: bob)
    #expect(replies[0].params.last == "@+alice!al@198.51.100.7 bob!bob@198.51.100.7")
  }

  @Test func noParameterAnswersOnlyEndWithStar() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a")
    let replies = h.exchange("NAMES", from: alice)
    #expect(replies.commands == ["366"])
    #expect(replies[0].numericParams == ["*", "End of /NAMES list"])
  }

  @Test func severalChannelsAndUnknownOnes() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a")
    let replies = h.exchange("NAMES #a,#nope", from: alice)
    #expect(replies.commands == ["353", "366", "366"])
    #expect(replies[2].numericParams.first == "#nope")
  }

  @Test func secretChannelHiddenFromNonMembers() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let eve = h.connectRegistered("eve")
    h.place(alice, in: "#s")
    h.channel("#s").modes.secret = true
    #expect(h.exchange("NAMES #s", from: eve).commands == ["366"])
    let replies = h.exchange("NAMES #s", from: alice)
    #expect(replies.commands == ["353", "366"])
    #expect(replies[0].numericParams.first == "@")
  }

  @Test func invisibleMembersHiddenFromOutsiders() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let ghost = h.connectRegistered("ghost")
    let eve = h.connectRegistered("eve")
    h.client(ghost).isInvisible = true
    h.place(alice, in: "#a")
    h.place(ghost, in: "#a")
    #expect(h.exchange("NAMES #a", from: eve)[0].params.last == "alice")
    #expect(h.exchange("NAMES #a", from: alice)[0].params.last == "alice ghost")
  }

  @Test func longMemberListsAreSplitUnder512Bytes() {
    let h = CoreHarness()
    let observer = h.connectRegistered("observer")
    var expected: [String] = []
    for index in 0..<120 {
      let nick = "member\(index)abcdefghij"
      h.place(h.connectRegistered(nick), in: "#big")
      expected.append(nick)
    }
    h.place(observer, in: "#big")
    expected.append("observer")
    let lines = h.lines(for: observer)
    #expect(lines.isEmpty)
    h.send("NAMES #big", from: observer)
    let raw = h.lines(for: observer)
    #expect(raw.count > 3)
    for line in raw { #expect(line.utf8.count + 2 <= 512) }
    let names = raw.compactMap { try? IRCMessage(parsing: $0) }.with("353").flatMap {
      $0.params.last!.split(separator: " ").map(String.init)
    }
    #expect(names == expected)
  }
}
