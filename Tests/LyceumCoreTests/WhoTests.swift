import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("WHO and WHOX")
struct WhoTests {
  @Test func channelMembersWithFlags() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al", realname: "Alice Liddell")
    let bob = h.connectRegistered("bob", capabilities: [.multiPrefix])
    h.place(alice, in: "#a", as: Membership(isOperator: true, isVoiced: true))
    h.place(bob, in: "#a")
    h.client(alice).awayMessage = "lunch"
    h.client(alice).isOperator = true
    h.client(alice).isBot = true
    let replies = h.exchange("WHO #a", from: bob)
    #expect(replies.commands == ["352", "352", "315"])
    #expect(
      replies[0].numericParams == [
        "#a", "al", "198.51.100.7", "irc.test", "alice", "G*@+B", "0 Alice Liddell",
      ])
    #expect(replies[1].numericParams[5] == "H")
    #expect(replies[2].numericParams == ["#a", "End of WHO list"])
  }

  @Test func highestPrefixOnlyWithoutMultiPrefix() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a", as: Membership(isOperator: true, isVoiced: true))
    #expect(h.exchange("WHO #a", from: alice)[0].numericParams[5] == "H@")
  }

  @Test func maskMatchesNickUserHostAndRealname() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    h.connectRegistered("carol", user: "cc", realname: "Carol Physics")
    h.connectRegistered("dave", ip: "192.0.2.9")
    func nicks(_ mask: String) -> [String] {
      h.exchange("WHO \(mask)", from: asker).with("352").map { $0.params[5] }
    }
    #expect(nicks("car*") == ["carol"])
    #expect(nicks("cc") == ["carol"])
    #expect(nicks("192.0.2.*") == ["dave"])
    #expect(nicks("*Physics") == ["carol"])
    #expect(nicks("nobody*").isEmpty)
  }

  @Test func invisibleUsersOnlyWhenSharingAChannelOrByExactNick() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let ghost = h.connectRegistered("ghost")
    h.client(ghost).isInvisible = true
    func nicks(_ mask: String) -> [String] {
      h.exchange("WHO \(mask)", from: asker).with("352").map { $0.params[5] }
    }
    #expect(nicks("gh*").isEmpty)
    #expect(nicks("ghost") == ["ghost"])
    h.place(ghost, in: "#x")
    h.place(asker, in: "#x")
    #expect(nicks("gh*") == ["ghost"])
  }

  @Test func operatorsSeeInvisibleUsers() {
    let h = CoreHarness()
    let oper = h.connectRegistered("oper")
    h.client(oper).isOperator = true
    let ghost = h.connectRegistered("ghost")
    h.client(ghost).isInvisible = true
    #expect(h.exchange("WHO gh*", from: oper).with("352").count == 1)
  }

  @Test func operatorFlagKeepsOnlyOperators() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let oper = h.connectRegistered("oper")
    h.client(oper).isOperator = true
    let replies = h.exchange("WHO * o", from: asker)
    #expect(replies.with("352").map { $0.params[5] } == ["oper"])
  }

  @Test func whoxFieldsInCanonicalOrderWithToken() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al", realname: "Alice Liddell")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.clock.advance(by: .seconds(42))
    let replies = h.exchange("WHO #a %rnafctuihsdlo,123", from: alice)
    #expect(replies.commands == ["354", "315"])
    #expect(
      replies[0].numericParams == [
        "123", "#a", "al", "198.51.100.7", "198.51.100.7", "irc.test", "alice", "H@", "0", "42",
        "0", "n/a", "Alice Liddell",
      ])
  }

  @Test func whoxWithoutTokenAndSubsetOfFields() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("WHO alice %na", from: alice)
    #expect(replies[0].command == "354")
    #expect(replies[0].numericParams == ["alice", "0"])
  }

  @Test func secretChannelHiddenFromOutsiders() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let eve = h.connectRegistered("eve")
    h.place(alice, in: "#s")
    h.channel("#s").modes.secret = true
    #expect(h.exchange("WHO #s", from: eve).commands == ["315"])
  }
}
