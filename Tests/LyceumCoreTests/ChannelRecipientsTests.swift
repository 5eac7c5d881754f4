import LyceumProtocol
import Testing

@testable import LyceumCore

/// A channel caches the sessions its messages go to; every change of membership, of a client's
/// sessions or of registration must show in the next message.
@Suite struct ChannelRecipientsTests {
  @Test func joinsAndPartsAfterTheListWasBuiltAreSeen() {
    let h = CoreHarness()
    let carol = h.register(nick: "carol")
    let dave = h.register(nick: "dave")
    h.send("JOIN #c", from: carol)
    h.send("JOIN #c", from: dave)
    h.send("PRIVMSG #c :first", from: carol)
    #expect(h.messages(for: dave).last?.params == ["#c", "first"])
    let eve = h.register(nick: "eve")
    h.send("JOIN #c", from: eve)
    h.send("PART #c", from: dave)
    _ = h.lines(for: carol)
    _ = h.lines(for: dave)
    _ = h.lines(for: eve)
    h.send("PRIVMSG #c :second", from: carol)
    #expect(h.messages(for: eve).map(\.params) == [["#c", "second"]])
    #expect(h.lines(for: dave).isEmpty)
  }

  @Test func aSessionThatLeavesItsClientGetsNothingMore() {
    let h = CoreHarness()
    let alice = Accounts.summary("alice")
    let laptop = h.registerLoggedIn(nick: "alice", as: alice)
    let carol = h.register(nick: "carol")
    h.send("JOIN #lab", from: laptop)
    h.send("JOIN #lab", from: carol)
    h.send("PRIVMSG #lab :before the phone", from: carol)
    let phone = h.startRegistration(nick: "alice2")
    h.saslLogin(phone, as: alice)
    _ = h.exchange("CAP END", from: phone)
    _ = h.lines(for: laptop)
    h.send("PRIVMSG #lab :both devices", from: carol)
    #expect(h.messages(for: laptop).map(\.params) == [["#lab", "both devices"]])
    #expect(h.messages(for: phone).map(\.params) == [["#lab", "both devices"]])
    h.send("QUIT :laptop closed", from: laptop)
    #expect(h.messages(for: laptop).commands == ["ERROR"])
    h.send("PRIVMSG #lab :phone only", from: carol)
    #expect(h.messages(for: phone).map(\.params) == [["#lab", "phone only"]])
    #expect(h.lines(for: laptop).isEmpty)
  }
}
