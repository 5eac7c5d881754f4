import LyceumProtocol
import Testing

@testable import LyceumCore

/// JOIN, PART, KICK, INVITE and TOPIC, per Modern IRC ("Channel Operations") and the IRCv3
/// extended-join, away-notify, invite-notify and no-implicit-names specs.
@Suite("JOIN")
struct JoinTests {
  @Test func firstJoinerBecomesOperatorAndGetsNames() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let reply = h.exchange("JOIN #a", from: alice)
    #expect(reply.commands == ["JOIN", "353", "366"])
    #expect(reply[0].source == "alice!al@198.51.100.7")
    #expect(reply[0].params == ["#a"])
    #expect(reply[1].numericParams == ["=", "#a", "@alice"])
    #expect(reply[2].numericParams == ["#a", "End of /NAMES list"])
    #expect(h.channel("#a").members[alice]?.isOperator == true)

    let bob = h.connectRegistered("bob")
    let second = h.exchange("JOIN #A", from: bob)
    #expect(second[0].params == ["#a"])
    #expect(h.channel("#a").members[bob]?.isOperator == false)
    let seen = h.messages(for: alice)
    #expect(seen.commands == ["JOIN"])
    #expect(seen.first?.source == "bob!bob@198.51.100.7")
  }

  @Test func severalChannelsWithKeys() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    h.place(owner, in: "#b", as: Membership(isOperator: true))
    h.place(owner, in: "#c", as: Membership(isOperator: true))
    h.channel("#b").modes.key = "k2"
    h.channel("#c").modes.key = "k3"
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("JOIN #a,#b,#c x,k2,wrong", from: alice)
    #expect(reply.with("JOIN").map(\.params) == [["#a"], ["#b"]])
    #expect(reply.with("475").map(\.numericParams) == [["#c", "Cannot join channel (+k)"]])
    #expect(h.client(alice).channels == ["#a", "#b"])
  }

  @Test func joinZeroPartsEverything() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    for name in ["#a", "#b"] {
      h.place(alice, in: name)
      h.place(bob, in: name)
    }
    let reply = h.exchange("JOIN 0", from: alice)
    #expect(reply.commands == ["PART", "PART"])
    #expect(Set(reply.map(\.params)) == [["#a"], ["#b"]])
    #expect(h.client(alice).channels.isEmpty)
    #expect(h.messages(for: bob).commands == ["PART", "PART"])
  }

  /// Modern IRC: ERR_BADCHANMASK (476) "Indicates the supplied channel name is not a valid".
  @Test func invalidChannelNameGets476() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("JOIN nochan", from: alice)
    #expect(reply.commands == ["476"])
    #expect(reply.first?.params.prefix(2) == ["alice", "nochan"])
    #expect(reply.first?.params.count == 3)
  }

  @Test func tooManyChannelsGets405() {
    let h = CoreHarness { $0.limits.channelsPerClient = 2 }
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("JOIN #a,#b,#c", from: alice)
    #expect(reply.with("JOIN").count == 2)
    #expect(
      reply.with("405").map(\.numericParams) == [["#c", "You have joined too many channels"]])
  }

  @Test func restrictionsRefuseWithTheirNumerics() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    let other = h.connectRegistered("other")
    for name in ["#k", "#l", "#i", "#b"] {
      h.place(owner, in: name, as: Membership(isOperator: true))
    }
    h.place(other, in: "#l")
    h.channel("#k").modes.key = "secret"
    h.channel("#l").modes.limit = 2
    h.channel("#i").modes.inviteOnly = true
    h.channel("#b").bans = [ListEntry(mask: "alice!*@*", setBy: "owner", setAtMilliseconds: 0)]
    let alice = h.connectRegistered("alice")
    let expected: [(String, String, String)] = [
      ("#k", "475", "Cannot join channel (+k)"),
      ("#l", "471", "Cannot join channel (+l)"),
      ("#i", "473", "Cannot join channel (+i)"),
      ("#b", "474", "Cannot join channel (+b)"),
    ]
    for (name, code, text) in expected {
      let reply = h.exchange("JOIN \(name)", from: alice)
      #expect(reply.commands == [code])
      #expect(reply.first?.params == ["alice", name, text])
    }
    #expect(h.client(alice).channels.isEmpty)
    #expect(h.exchange("JOIN #k secret", from: alice).first?.command == "JOIN")
  }

  @Test func inviteOrExceptionPassesInviteOnly() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    h.place(owner, in: "#i", as: Membership(isOperator: true))
    h.channel("#i").modes.inviteOnly = true
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob", user: "bobby")
    #expect(h.exchange("INVITE alice #i", from: owner).commands == ["341"])
    #expect(h.exchange("JOIN #i", from: alice).first?.command == "JOIN")
    // The invitation is used up by joining.
    #expect(!h.channel("#i").invited.contains(alice))

    h.channel("#i").inviteExceptions = [
      ListEntry(mask: "*!bobby@*", setBy: "owner", setAtMilliseconds: 0)
    ]
    #expect(h.exchange("JOIN #i", from: bob).first?.command == "JOIN")
  }

  @Test func extendedJoinPerCapability() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    let extended = h.connectRegistered("ext", capabilities: [.extendedJoin])
    let plain = h.connectRegistered("plain")
    for id in [owner, extended, plain] { h.place(id, in: "#a") }
    let alice = h.connectRegistered(
      "alice", user: "al", realname: "Alice Liddell", capabilities: [.extendedJoin])
    let own = h.exchange("JOIN #a", from: alice)
    #expect(own.first?.params == ["#a", "*", "Alice Liddell"])
    #expect(h.messages(for: extended).map(\.params) == [["#a", "*", "Alice Liddell"]])
    #expect(h.messages(for: plain).map(\.params) == [["#a"]])
  }

  @Test func awayNotifyTellsCapablePeersThatTheJoinerIsAway() {
    let h = CoreHarness()
    let watcher = h.connectRegistered("watcher", capabilities: [.awayNotify])
    let plain = h.connectRegistered("plain")
    h.place(watcher, in: "#a")
    h.place(plain, in: "#a")
    let alice = h.connectRegistered("alice", user: "al")
    h.client(alice).awayMessage = "gone fishing"
    h.send("JOIN #a", from: alice)
    let seen = h.messages(for: watcher)
    #expect(seen.commands == ["JOIN", "AWAY"])
    #expect(seen.last?.source == "alice!al@198.51.100.7")
    #expect(seen.last?.params == ["gone fishing"])
    #expect(h.messages(for: plain).commands == ["JOIN"])
  }

  @Test func topicSentOnJoin() {
    let h = CoreHarness()
    let owner = h.connectRegistered("owner")
    h.place(owner, in: "#a")
    h.channel("#a").topic = Topic(
      text: "Reading group", setBy: "owner!o@h", setAtMilliseconds: 1_700_000_000_000)
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("JOIN #a", from: alice)
    #expect(reply.commands == ["JOIN", "332", "333", "353", "366"])
    #expect(reply[1].numericParams == ["#a", "Reading group"])
    #expect(reply[2].numericParams == ["#a", "owner!o@h", "1700000000"])
  }

  @Test func noImplicitNamesSuppressesNames() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", capabilities: [.noImplicitNames])
    #expect(h.exchange("JOIN #a", from: alice).commands == ["JOIN"])
  }

  @Test func noImplicitNamesThroughCapReq() {
    let h = CoreHarness()
    let alice = h.register(nick: "alice", caps: ["draft/no-implicit-names"])
    #expect(h.exchange("JOIN #a", from: alice).commands == ["JOIN"])
  }
}

@Suite("PART")
struct PartTests {
  @Test func partWithReasonSeenByEveryone() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    let own = h.exchange("PART #a :see you", from: alice)
    #expect(own.commands == ["PART"])
    #expect(own.first?.source == "alice!al@198.51.100.7")
    #expect(own.first?.params == ["#a", "see you"])
    #expect(h.messages(for: bob).map(\.params) == [["#a", "see you"]])
    #expect(h.channel("#a").members[alice] == nil)
  }

  @Test func lastMemberLeavingRemovesTheChannel() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a")
    #expect(h.exchange("PART #a", from: alice).first?.params == ["#a"])
    #expect(h.core.channel(named: "#a") == nil)
  }

  @Test func notOnChannelAndNoSuchChannel() {
    let h = CoreHarness()
    let bob = h.connectRegistered("bob")
    h.place(bob, in: "#a")
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("PART #a,#nope", from: alice)
    #expect(reply.commands == ["442", "403"])
    #expect(reply[0].params == ["alice", "#a", "You're not on that channel"])
    #expect(reply[1].params == ["alice", "#nope", "No such channel"])
  }
}

@Suite("KICK")
struct KickTests {
  /// RFC 2812 / Modern IRC: as many channels as nicks are paired in order; one channel takes
  /// several nicks; other counts are 461. A channel the kicker may not kick from is refused once.
  @Test func severalChannelsPairWithAsManyNicks() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let u1 = h.connectRegistered("u1")
    let u2 = h.connectRegistered("u2")
    for channel in ["#a", "#b"] {
      h.place(alice, in: channel, as: Membership(isOperator: true))
      for id in [u1, u2] { h.place(id, in: channel) }
    }
    let pairs = h.exchange("KICK #a,#b u1,u2 :bye", from: alice)
    #expect(pairs.map(\.params) == [["#a", "u1", "bye"], ["#b", "u2", "bye"]])
    #expect(h.channel("#a").members[u2] != nil && h.channel("#b").members[u1] != nil)
    #expect(h.channel("#a").members[u1] == nil && h.channel("#b").members[u2] == nil)

    #expect(h.exchange("KICK #a,#b u2", from: alice).commands == ["461"])
    #expect(h.exchange("KICK #a,#b u1,u2,alice", from: alice).commands == ["461"])

    h.place(u1, in: "#a")
    let one = h.exchange("KICK #a u1,u2", from: alice)
    #expect(one.map(\.params) == [["#a", "u1", "alice"], ["#a", "u2", "alice"]])

    let refused = h.exchange("KICK #nowhere u1,u2", from: alice)
    #expect(refused.commands == ["403"])
    let mixed = h.exchange("KICK #nowhere,#b u1,u1", from: alice)
    #expect(mixed.commands == ["403", "KICK"])
    #expect(h.exchange("KICK #b a,b,c,d,e", from: alice).commands == ["407"])
  }

  @Test func nonOperatorGets482() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    let reply = h.exchange("KICK #a alice", from: bob)
    #expect(reply.commands == ["482"])
    #expect(reply.first?.params == ["bob", "#a", "You're not channel operator"])
    #expect(h.channel("#a").members[alice] != nil)
  }

  @Test func targetNotOnChannelGets441() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.connectRegistered("carol")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    let reply = h.exchange("KICK #a carol", from: alice)
    #expect(reply.commands == ["441"])
    #expect(reply.first?.params == ["alice", "carol", "#a", "They aren't on that channel"])
  }

  @Test func defaultReasonIsTheKickersNick() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    let carol = h.connectRegistered("carol")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.place(bob, in: "#a")
    h.place(carol, in: "#a")
    let reply = h.exchange("KICK #a bob", from: alice)
    #expect(reply.commands == ["KICK"])
    #expect(reply.first?.source == "alice!al@198.51.100.7")
    #expect(reply.first?.params == ["#a", "bob", "alice"])
    #expect(h.messages(for: bob).map(\.params) == [["#a", "bob", "alice"]])
    #expect(h.messages(for: carol).map(\.params) == [["#a", "bob", "alice"]])
    #expect(h.channel("#a").members[bob] == nil)
    #expect(!h.client(bob).channels.contains("#a"))

    h.place(bob, in: "#a")
    let reasoned = h.exchange("KICK #a bob :off topic", from: alice)
    #expect(reasoned.first?.params == ["#a", "bob", "off topic"])
  }
}

@Suite("INVITE")
struct InviteTests {
  @Test func inviteRepliesAndNotifies() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    let notified = h.connectRegistered("notified", capabilities: [.inviteNotify])
    let plain = h.connectRegistered("plain")
    for id in [alice, notified, plain] { h.place(id, in: "#a") }
    let reply = h.exchange("INVITE bob #a", from: alice)
    #expect(reply.commands == ["341"])
    #expect(reply.first?.params == ["alice", "bob", "#a"])
    let invite = h.messages(for: bob)
    #expect(invite.commands == ["INVITE"])
    #expect(invite.first?.source == "alice!al@198.51.100.7")
    #expect(invite.first?.params == ["bob", "#a"])
    #expect(h.messages(for: notified).map(\.params) == [["bob", "#a"]])
    #expect(h.messages(for: plain).isEmpty)
  }

  @Test func inviteOnlyChannelNotifiesOnlyCapableOperators() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    let op = h.connectRegistered("op", capabilities: [.inviteNotify])
    let member = h.connectRegistered("member", capabilities: [.inviteNotify])
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.place(op, in: "#a", as: Membership(isOperator: true))
    h.place(member, in: "#a")
    h.channel("#a").modes.inviteOnly = true
    #expect(h.exchange("INVITE bob #a", from: alice).commands == ["341"])
    #expect(h.messages(for: bob).commands == ["INVITE"])
    #expect(h.messages(for: op).commands == ["INVITE"])
    #expect(h.messages(for: member).isEmpty)
  }

  @Test func inviteErrors() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.connectRegistered("carol")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    h.place(bob, in: "#b")

    let already = h.exchange("INVITE bob #a", from: alice)
    #expect(already.commands == ["443"])
    #expect(already.first?.params == ["alice", "bob", "#a", "is already on channel"])

    let notOn = h.exchange("INVITE carol #b", from: alice)
    #expect(notOn.commands == ["442"])
    #expect(notOn.first?.params == ["alice", "#b", "You're not on that channel"])

    h.channel("#a").modes.inviteOnly = true
    let notOp = h.exchange("INVITE carol #a", from: alice)
    #expect(notOp.commands == ["482"])
    #expect(notOp.first?.params == ["alice", "#a", "You're not channel operator"])

    let noNick = h.exchange("INVITE nobody #a", from: alice)
    #expect(noNick.commands == ["401"])
    #expect(noNick.first?.params == ["alice", "nobody", "No such nick/channel"])
  }

  @Test func inviteToAwayUserAlsoGets301() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.client(bob).awayMessage = "out"
    h.place(alice, in: "#a")
    let reply = h.exchange("INVITE bob #a", from: alice)
    #expect(reply.commands == ["341", "301"])
    #expect(reply[1].params == ["alice", "bob", "out"])
  }
}

@Suite("TOPIC")
struct TopicTests {
  @Test func queryWithoutTopicGets331() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a")
    let reply = h.exchange("TOPIC #a", from: alice)
    #expect(reply.commands == ["331"])
    #expect(reply.first?.params == ["alice", "#a", "No topic is set"])
  }

  @Test func setThenQuery() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.place(bob, in: "#a")
    let set = h.exchange("TOPIC #a :Reading group at 5", from: alice)
    #expect(set.commands == ["TOPIC"])
    #expect(set.first?.source == "alice!al@198.51.100.7")
    #expect(set.first?.params == ["#a", "Reading group at 5"])
    #expect(h.messages(for: bob).map(\.params) == [["#a", "Reading group at 5"]])
    let query = h.exchange("TOPIC #a", from: bob)
    #expect(query.commands == ["332", "333"])
    #expect(query[0].params == ["bob", "#a", "Reading group at 5"])
    #expect(query[1].params == ["bob", "#a", "alice!al@198.51.100.7", "1700000000"])
  }

  @Test func topicLockNeedsOperator() {
    let h = CoreHarness()
    let bob = h.connectRegistered("bob")
    h.place(bob, in: "#a")
    #expect(h.channel("#a").modes.topicLocked)
    let reply = h.exchange("TOPIC #a :mine", from: bob)
    #expect(reply.commands == ["482"])
    #expect(reply.first?.params == ["bob", "#a", "You're not channel operator"])
    #expect(h.channel("#a").topic == nil)
    h.channel("#a").modes.topicLocked = false
    #expect(h.exchange("TOPIC #a :mine", from: bob).commands == ["TOPIC"])
  }

  @Test func emptyTextClearsTheTopic() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    h.place(bob, in: "#a")
    h.send("TOPIC #a :something", from: alice)
    _ = h.messages(for: bob)
    let cleared = h.exchange("TOPIC #a :", from: alice)
    #expect(cleared.commands == ["TOPIC"])
    #expect(cleared.first?.params == ["#a", ""])
    #expect(h.lines(for: bob).last?.hasSuffix("TOPIC #a :") == true)
    #expect(h.channel("#a").topic == nil)
    #expect(h.exchange("TOPIC #a", from: alice).commands == ["331"])
  }

  @Test func topicIsTruncatedToTopicLen() {
    let h = CoreHarness { $0.limits.topicLength = 5 }
    let alice = h.connectRegistered("alice")
    h.place(alice, in: "#a", as: Membership(isOperator: true))
    let reply = h.exchange("TOPIC #a :abcdefgh", from: alice)
    #expect(reply.first?.params == ["#a", "abcde"])
    #expect(h.channel("#a").topic?.text == "abcde")
  }

  @Test func setterMustBeOnTheChannel() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(bob, in: "#a")
    let reply = h.exchange("TOPIC #a :x", from: alice)
    #expect(reply.commands == ["442"])
    #expect(reply.first?.params == ["alice", "#a", "You're not on that channel"])
    #expect(h.exchange("TOPIC #nope", from: alice).commands == ["403"])
  }
}
