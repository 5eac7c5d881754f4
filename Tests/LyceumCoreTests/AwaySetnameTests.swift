import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("AWAY")
struct AwayTests {
  @Test func setAndClearWithNotifications() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let watcher = h.connectRegistered("watcher", capabilities: [.awayNotify])
    let plain = h.connectRegistered("plain")
    for id in [alice, watcher, plain] { h.place(id, in: "#a") }
    let set = h.exchange("AWAY :gone fishing", from: alice)
    #expect(set.commands == ["306"])
    #expect(set[0].numericParams == ["You have been marked as being away"])
    #expect(h.client(alice).awayMessage == "gone fishing")
    let notice = h.messages(for: watcher)
    #expect(notice.count == 1)
    #expect(notice.first?.source == "alice!al@198.51.100.7")
    #expect(notice.first?.command == "AWAY")
    #expect(notice.first?.params == ["gone fishing"])
    #expect(h.messages(for: plain).isEmpty)

    let back = h.exchange("AWAY", from: alice)
    #expect(back.commands == ["305"])
    #expect(back[0].numericParams == ["You are no longer marked as being away"])
    #expect(h.client(alice).awayMessage == nil)
    let cleared = h.messages(for: watcher)
    #expect(cleared.map(\.command) == ["AWAY"])
    #expect(cleared.first?.params == [])
  }

  @Test func messageIsTruncatedToAwayLength() {
    let h = CoreHarness { $0.limits.awayLength = 5 }
    let alice = h.connectRegistered("alice")
    _ = h.exchange("AWAY :abcdéfgh", from: alice)
    #expect(h.client(alice).awayMessage == "abcd")
  }

  @Test func serverTimeTagOnlyForServerTimeClients() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let watcher = h.connectRegistered("watcher", capabilities: [.awayNotify, .serverTime])
    h.place(alice, in: "#a")
    h.place(watcher, in: "#a")
    h.send("AWAY :x", from: alice)
    let notice = h.messages(for: watcher)
    #expect(notice.first?.tags.map(\.key) == ["time"])
  }
}

@Suite("SETNAME")
struct SetnameTests {
  @Test func changesRealnameAndNotifiesCapablePeers() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", capabilities: [.setname])
    let peer = h.connectRegistered("peer", capabilities: [.setname])
    let plain = h.connectRegistered("plain")
    for id in [alice, peer, plain] { h.place(id, in: "#a") }
    let echo = h.exchange("SETNAME :Alice P. Liddell", from: alice)
    #expect(echo.commands == ["SETNAME"])
    #expect(echo.first?.params == ["Alice P. Liddell"])
    #expect(echo.first?.source == h.client(alice).prefix)
    #expect(h.client(alice).realname == "Alice P. Liddell")
    #expect(h.messages(for: peer).commands == ["SETNAME"])
    #expect(h.messages(for: plain).isEmpty)
  }

  @Test func clientWithoutCapabilityChangesSilently() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    #expect(h.exchange("SETNAME :New", from: alice).isEmpty)
    #expect(h.client(alice).realname == "New")
  }

  @Test func tooLongOrEmptyIsInvalid() {
    let h = CoreHarness { $0.limits.realnameLength = 4 }
    let alice = h.connectRegistered("alice", realname: "Old")
    let replies = h.exchange("SETNAME :Toolong", from: alice)
    #expect(replies.commands == ["FAIL"])
    #expect(replies.first?.params == ["SETNAME", "INVALID_REALNAME", "Realname is not valid"])
    // An empty realname is a missing one, as in USER.
    #expect(h.exchange("SETNAME :", from: alice).commands == ["461"])
    #expect(h.client(alice).realname == "Old")
  }
}
