import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("LIST")
struct ListTests {
  private func setUp() -> (CoreHarness, alice: ClientID, bob: ClientID) {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#big")
    h.place(bob, in: "#big")
    h.place(alice, in: "#small")
    h.channel("#big").topic = Topic(text: "All about stars", setBy: "alice", setAtMilliseconds: 0)
    return (h, alice, bob)
  }

  @Test func listsEveryChannelBetweenStartAndEnd() {
    let (h, _, bob) = setUp()
    let replies = h.exchange("LIST", from: bob)
    #expect(replies.commands == ["321", "322", "322", "323"])
    #expect(replies[0].numericParams == ["Channel", "Users  Name"])
    #expect(replies[1].numericParams == ["#big", "2", "All about stars"])
    #expect(replies[2].numericParams == ["#small", "1", ""])
    #expect(replies[3].numericParams == ["End of /LIST"])
  }

  @Test func namedChannels() {
    let (h, _, bob) = setUp()
    let replies = h.exchange("LIST #small,#missing", from: bob)
    #expect(replies.commands == ["321", "322", "323"])
    #expect(replies[1].numericParams.first == "#small")
  }

  @Test func userCountFilters() {
    let (h, _, bob) = setUp()
    #expect(h.exchange("LIST >1", from: bob).with("322").map { $0.params[1] } == ["#big"])
    #expect(h.exchange("LIST <2", from: bob).with("322").map { $0.params[1] } == ["#small"])
  }

  @Test func secretChannelsOnlyForMembers() {
    let (h, alice, bob) = setUp()
    h.channel("#small").modes.secret = true
    #expect(h.exchange("LIST", from: bob).with("322").map { $0.params[1] } == ["#big"])
    #expect(h.exchange("LIST", from: alice).with("322").count == 2)
  }

  @Test func countLeavesOutInvisibleUsersForOutsiders() {
    let (h, alice, _) = setUp()
    let outsider = h.connectRegistered("outsider")
    h.client(alice).isInvisible = true
    let replies = h.exchange("LIST #big", from: outsider)
    #expect(replies.with("322").first?.params[2] == "1")
  }
}

@Suite("LIST limits and masks")
struct ListLimitTests {
  @Test func masksKeepOrDropMatchingNames() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    for name in ["#lab-a", "#lab-b", "#lobby", "#tmp1"] { h.place(alice, in: name) }
    #expect(
      h.exchange("LIST #lab*", from: alice).with("322").map { $0.params[1] } == [
        "#lab-a", "#lab-b",
      ])
    #expect(
      h.exchange("LIST !#lab*,!#tmp?", from: alice).with("322").map { $0.params[1] } == ["#lobby"])
  }

  @Test func aDirectoryLargerThanTheBudgetStopsWithANoteNotADisconnect() {
    let h = CoreHarness { $0.limits.listBytes = 4096 }
    let alice = h.connectRegistered("alice")
    for index in 0..<500 { h.place(alice, in: "#room\(index)") }
    let replies = h.exchange("LIST", from: alice)
    let listed = replies.with("322").count
    #expect(listed > 10 && listed < 500)
    #expect(replies.commands.last == "323")
    let note = replies.first { $0.command == "NOTE" }
    #expect(note?.params.prefix(3) == ["LIST", "TRUNCATED", String(listed)])
    #expect(h.closed.isEmpty)
  }
}
