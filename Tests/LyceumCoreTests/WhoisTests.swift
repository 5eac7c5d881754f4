import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("WHOIS")
struct WhoisTests {
  @Test func fullReplyForAnotherUser() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let alice = h.connectRegistered("alice", user: "al", realname: "Alice Liddell", isTLS: true)
    h.place(alice, in: "#b", as: Membership(isOperator: true))
    h.place(alice, in: "#a")
    h.client(alice).awayMessage = "reading"
    h.client(alice).isOperator = true
    h.client(alice).isBot = true
    h.clock.advance(by: .seconds(30))
    let replies = h.exchange("WHOIS Alice", from: asker)
    #expect(replies.commands == ["311", "319", "312", "313", "301", "671", "335", "317", "318"])
    #expect(replies[0].numericParams == ["alice", "al", "198.51.100.7", "*", "Alice Liddell"])
    #expect(replies[1].numericParams == ["alice", "#a @#b"])
    #expect(replies[2].numericParams.prefix(2) == ["alice", "irc.test"])
    #expect(replies[3].numericParams == ["alice", "is an IRC operator"])
    #expect(replies[4].numericParams == ["alice", "reading"])
    #expect(replies[5].numericParams == ["alice", "is using a secure connection"])
    #expect(replies[6].numericParams == ["alice", "is a bot on Lyceum"])
    #expect(replies[7].numericParams == ["alice", "30", "1700000000", "seconds idle, signon time"])
    #expect(replies[8].numericParams == ["Alice", "End of /WHOIS list"])
  }

  @Test func privateDetailsOnlyForSelfAndOperators() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let alice = h.connectRegistered("alice", certificateFingerprint: "ab12")
    let privateCodes: Set<String> = ["378", "338", "379", "276"]
    #expect(Set(h.exchange("WHOIS alice", from: asker).commands).isDisjoint(with: privateCodes))
    let own = h.exchange("WHOIS alice", from: alice)
    #expect(Set(own.commands).isSuperset(of: privateCodes))
    #expect(
      own.with("276").first?.numericParams == ["alice", "has client certificate fingerprint ab12"])
    #expect(
      own.with("338").first?.numericParams == [
        "alice", "alice@198.51.100.7", "198.51.100.7", "Is actually using host",
      ])
    h.client(asker).isOperator = true
    #expect(Set(h.exchange("WHOIS alice", from: asker).commands).isSuperset(of: privateCodes))
  }

  @Test func secretAndInvisibleChannelsOnlyWhenShared() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#open")
    h.place(alice, in: "#secret")
    h.channel("#secret").modes.secret = true
    #expect(h.exchange("WHOIS alice", from: asker).with("319").first?.params.last == "#open")
    h.place(asker, in: "#secret")
    #expect(
      h.exchange("WHOIS alice", from: asker).with("319").first?.params.last == "#open #secret")
    h.client(alice).isInvisible = true
    #expect(h.exchange("WHOIS alice", from: asker).with("319").first?.params.last == "#secret")
  }

  @Test func channelsShowOnlyTheHighestPrefixEvenWithMultiPrefix() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker", capabilities: [.multiPrefix])
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a", as: Membership(isOperator: true, isVoiced: true))
    #expect(h.exchange("WHOIS alice", from: asker).with("319").first?.params.last == "@#a")
  }

  @Test func noChannelsMeansNo319AndPlainConnectionNo671() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    h.connectRegistered("plain", isTLS: false)
    let codes = h.exchange("WHOIS plain", from: asker).commands
    #expect(!codes.contains("319"))
    #expect(!codes.contains("671"))
  }

  @Test func serverFormAnswersForTheLastParameter() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    h.connectRegistered("alice")
    #expect(h.exchange("WHOIS alice alice", from: asker).first?.command == "311")
    #expect(h.exchange("WHOIS irc.test alice", from: asker).first?.command == "311")
    let wrong = h.exchange("WHOIS other.server alice", from: asker)
    #expect(wrong.commands == ["402"])
    #expect(wrong[0].numericParams == ["other.server", "No such server"])
  }

  @Test func unknownNickGets401Then318() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let replies = h.exchange("WHOIS nobody", from: asker)
    #expect(replies.commands == ["401", "318"])
    #expect(replies[0].numericParams == ["nobody", "No such nick/channel"])
  }

  @Test func needsANick() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    // RFC 2812 § 3.6.2: a WHOIS without a nick (or with an empty one) is 431.
    #expect(h.exchange("WHOIS", from: asker).commands == ["431"])
    #expect(h.exchange("WHOIS :", from: asker).commands == ["431"])
  }
}

@Suite("WHOWAS")
struct WhowasTests {
  @Test func newestFirstWithCountThenEnd() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    for realname in ["First", "Second", "Third"] {
      let old = h.connectRegistered("Zed", realname: realname)
      h.core.connectionClosed(old, reason: "bye")
      h.clock.advance(by: .seconds(1))
    }
    let all = h.exchange("WHOWAS zed", from: asker)
    #expect(all.commands == ["314", "312", "314", "312", "314", "312", "369"])
    #expect(all[0].numericParams == ["Zed", "zed", "198.51.100.7", "*", "Third"])
    #expect(all[1].numericParams.prefix(2) == ["Zed", "irc.test"])
    #expect(all[6].numericParams == ["zed", "End of WHOWAS"])
    let two = h.exchange("WHOWAS zed 2", from: asker)
    #expect(two.with("314").map { $0.params.last! } == ["Third", "Second"])
  }

  @Test func unknownNickGets406Then369() {
    let h = CoreHarness()
    let asker = h.connectRegistered("asker")
    let replies = h.exchange("WHOWAS ghost", from: asker)
    #expect(replies.commands == ["406", "369"])
    #expect(replies[0].numericParams == ["ghost", "There was no such nickname"])
  }
}

@Suite("WhowasHistory")
struct WhowasHistoryTests {
  private func entry(_ history: inout WhowasHistory, _ nick: String, at time: Int64) {
    let client = Client(
      id: ClientID(UInt64(time)), ip: "192.0.2.1", isTLS: false, now: .zero, wallMilliseconds: 0)
    client.nick = nick
    history.record(client, atMilliseconds: time, caseMapping: .rfc1459)
  }

  @Test func boundedRingDropsOldest() {
    var history = WhowasHistory(capacity: 3)
    for time in 1...5 { entry(&history, "n", at: Int64(time)) }
    #expect(history.count == 3)
    #expect(history.entries(forFolded: "n").map(\.atMilliseconds) == [5, 4, 3])
  }

  @Test func shrinkingKeepsNewestAndGrowingKeepsOrder() {
    var history = WhowasHistory(capacity: 4)
    for time in 1...6 { entry(&history, "n", at: Int64(time)) }
    history.capacity = 2
    #expect(history.entries(forFolded: "n").map(\.atMilliseconds) == [6, 5])
    history.capacity = 3
    entry(&history, "n", at: 7)
    entry(&history, "n", at: 8)
    #expect(history.entries(forFolded: "n").map(\.atMilliseconds) == [8, 7, 6])
  }

  @Test func zeroCapacityKeepsNothingAndNicksAreFolded() {
    var none = WhowasHistory(capacity: 0)
    entry(&none, "n", at: 1)
    #expect(none.count == 0)
    var history = WhowasHistory(capacity: 5)
    entry(&history, "Nick[a]", at: 1)
    entry(&history, "other", at: 2)
    #expect(history.entries(forFolded: "nick{a}").map(\.nick) == ["Nick[a]"])
  }
}
