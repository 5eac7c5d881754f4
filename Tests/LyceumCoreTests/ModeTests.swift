import LyceumProtocol
import Testing

@testable import LyceumCore

/// MODE, per Modern IRC ("MODE message", "Channel Modes", the CHANMODES and MAXLIST ISUPPORT
/// parameters) and RFC 2812 §3.1.5/§3.2.3.
@Suite("User MODE")
struct UserModeTests {
  @Test func setAndQueryOwnModes() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let set = h.exchange("MODE alice +iB", from: alice)
    #expect(set.commands == ["MODE"])
    #expect(set.first?.params == ["alice", "+iB"])
    #expect(h.client(alice).isInvisible && h.client(alice).isBot)
    let query = h.exchange("MODE alice", from: alice)
    #expect(query.commands == ["221"])
    #expect(query.first?.params == ["alice", "+iB"])
    // Setting what is already set changes nothing and says nothing.
    #expect(h.exchange("MODE alice +i", from: alice).isEmpty)
  }

  @Test func operatorCanDropButNotTakeO() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    #expect(h.exchange("MODE alice +o", from: alice).isEmpty)
    #expect(!h.client(alice).isOperator)
    h.client(alice).isOperator = true
    let drop = h.exchange("MODE alice -o", from: alice)
    #expect(drop.first?.params == ["alice", "-o"])
    #expect(!h.client(alice).isOperator)
  }

  @Test func unknownFlagGets501ButKnownOnesApply() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let reply = h.exchange("MODE alice +ix", from: alice)
    #expect(reply.commands == ["501", "MODE"])
    #expect(reply.first?.params == ["alice", "Unknown MODE flag"])
    #expect(h.client(alice).isInvisible)
  }

  @Test func otherUsersGet502AndUnknownNick401() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.connectRegistered("bob")
    let other = h.exchange("MODE bob +i", from: alice)
    #expect(other.commands == ["502"])
    #expect(other.first?.params.first == "alice")
    #expect(other.first?.params.count == 2)
    let none = h.exchange("MODE nobody", from: alice)
    #expect(none.commands == ["401"])
    #expect(none.first?.params == ["alice", "nobody", "No such nick/channel"])
  }
}

@Suite("Channel MODE")
struct ChannelModeTests {
  private func channel() -> (CoreHarness, ClientID, ClientID) {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    h.send("JOIN #a", from: alice)
    h.place(bob, in: "#a")
    _ = h.messages(for: alice)
    return (h, alice, bob)
  }

  @Test func queryGives324And329() {
    let (h, alice, bob) = channel()
    h.channel("#a").modes.key = "pw"
    h.channel("#a").modes.limit = 10
    let reply = h.exchange("MODE #a", from: alice)
    #expect(reply.commands == ["324", "329"])
    #expect(reply[0].params == ["alice", "#a", "+klnt", "pw", "10"])
    #expect(reply[1].params == ["alice", "#a", "1700000000"])
    _ = bob
  }

  @Test func flagChangesAreBroadcastCompactly() {
    let (h, alice, bob) = channel()
    let reply = h.exchange("MODE #a +i+m-n-t", from: alice)
    #expect(reply.commands == ["MODE"])
    #expect(reply.first?.source == "alice!al@198.51.100.7")
    #expect(reply.first?.params == ["#a", "+im-nt"])
    #expect(h.messages(for: bob).map(\.params) == [["#a", "+im-nt"]])
    // Only actual changes are reported.
    #expect(h.exchange("MODE #a +n+s", from: alice).first?.params == ["#a", "+ns"])
    #expect(h.exchange("MODE #a +n-s+t", from: alice).first?.params == ["#a", "-s+t"])
    #expect(h.exchange("MODE #a +n", from: alice).isEmpty)
  }

  @Test func opAndVoice() {
    let (h, alice, bob) = channel()
    h.connectRegistered("carol")
    let reply = h.exchange("MODE #a +ov bob bob", from: alice)
    #expect(reply.first?.params == ["#a", "+ov", "bob", "bob"])
    #expect(h.channel("#a").members[bob] == Membership(isOperator: true, isVoiced: true))
    let unknown = h.exchange("MODE #a +o nobody", from: alice)
    #expect(unknown.commands == ["401"])
    #expect(unknown.first?.params == ["alice", "nobody", "No such nick/channel"])
    let outside = h.exchange("MODE #a +v carol", from: alice)
    #expect(outside.commands == ["441"])
    #expect(outside.first?.params == ["alice", "carol", "#a", "They aren't on that channel"])
  }

  @Test func nonOperatorGets482() {
    let (h, _, bob) = channel()
    let reply = h.exchange("MODE #a +m", from: bob)
    #expect(reply.commands == ["482"])
    #expect(reply.first?.params == ["bob", "#a", "You're not channel operator"])
    #expect(!h.channel("#a").modes.moderated)
    // Anyone may list the bans.
    #expect(h.exchange("MODE #a +b", from: bob).commands == ["368"])
  }

  @Test func banListAndNormalization() {
    let (h, alice, bob) = channel()
    let add = h.exchange("MODE #a +b bob", from: alice)
    #expect(add.first?.params == ["#a", "+b", "bob!*@*"])
    #expect(h.messages(for: bob).map(\.params) == [["#a", "+b", "bob!*@*"]])
    #expect(
      h.exchange("MODE #a +b u@example.org", from: alice).first?.params == [
        "#a", "+b", "*!u@example.org",
      ])
    #expect(h.exchange("MODE #a +b n!u", from: alice).first?.params == ["#a", "+b", "n!u@*"])
    let list = h.exchange("MODE #a b", from: alice)
    #expect(list.commands == ["367", "367", "367", "368"])
    #expect(list[0].params == ["alice", "#a", "bob!*@*", "alice!al@198.51.100.7", "1700000000"])
    #expect(list[3].params == ["alice", "#a", "End of channel ban list"])
    #expect(h.exchange("MODE #a -b bob", from: alice).first?.params == ["#a", "-b", "bob!*@*"])
    #expect(h.channel("#a").bans.count == 2)
  }

  @Test func inviteExceptionList() {
    let (h, alice, _) = channel()
    #expect(
      h.exchange("MODE #a +I *!*@example.org", from: alice).first?.params == [
        "#a", "+I", "*!*@example.org",
      ])
    let list = h.exchange("MODE #a +I", from: alice)
    #expect(list.commands == ["346", "347"])
    #expect(list[0].params.prefix(3) == ["alice", "#a", "*!*@example.org"])
    #expect(list[1].params.prefix(2) == ["alice", "#a"])
    #expect(list[1].params.count == 3)
  }

  @Test func listFullGets478() {
    let h = CoreHarness { $0.limits.listEntries = 1 }
    let alice = h.connectRegistered("alice")
    h.send("JOIN #a", from: alice)
    _ = h.messages(for: alice)
    #expect(h.exchange("MODE #a +b x", from: alice).commands == ["MODE"])
    let full = h.exchange("MODE #a +b y", from: alice)
    #expect(full.commands == ["478"])
    #expect(full.first?.params == ["alice", "#a", "b", "Channel list is full"])
  }

  @Test func keyValidation() {
    let (h, alice, _) = channel()
    for bad in ["a,b", "a:b", String(repeating: "k", count: 24)] {
      let reply = h.exchange("MODE #a +k \(bad)", from: alice)
      // Modern IRC: ERR_INVALIDKEY (525) "<client> <target chan> :Key is not well-formed".
      #expect(reply.commands == ["525"])
      #expect(reply.first?.params.prefix(2) == ["alice", "#a"])
      #expect(reply.first?.params.count == 3)
    }
    #expect(h.channel("#a").modes.key == nil)
    #expect(h.exchange("MODE #a +k sesame", from: alice).first?.params == ["#a", "+k", "sesame"])
  }

  @Test func removingAKeyConsumesItsParameter() {
    // CHANMODES=Ib,k,l,imnst puts k in type B: "These modes MUST always have a parameter"
    // (Modern IRC, CHANMODES), so `-k key` uses up `key`.
    let (h, alice, bob) = channel()
    h.send("MODE #a +k sesame", from: alice)
    _ = h.messages(for: alice)
    let reply = h.exchange("MODE #a -k+v sesame bob", from: alice)
    #expect(reply.commands == ["MODE"])
    #expect(reply.first?.params.prefix(2) == ["#a", "-k+v"])
    #expect(reply.first?.params.last == "bob")
    #expect(h.channel("#a").modes.key == nil)
    #expect(h.channel("#a").members[bob]?.isVoiced == true)
    // A bare `-k` is still accepted.
    h.send("MODE #a +k other", from: alice)
    #expect(h.exchange("MODE #a -k", from: alice).first?.params == ["#a", "-k", "*"])
    #expect(h.channel("#a").modes.key == nil)
  }

  @Test func limitValidation() {
    let (h, alice, _) = channel()
    for bad in ["abc", "0", "-3"] {
      let reply = h.exchange("MODE #a +l \(bad)", from: alice)
      #expect(reply.commands == ["696"])
      #expect(reply.first?.params.prefix(4) == ["alice", "#a", "l", bad])
    }
    #expect(h.exchange("MODE #a +l 25", from: alice).first?.params == ["#a", "+l", "25"])
    #expect(h.exchange("MODE #a -l", from: alice).first?.params == ["#a", "-l"])
    #expect(h.channel("#a").modes.limit == nil)
  }

  @Test func unknownLetterGets472() {
    let (h, alice, _) = channel()
    let reply = h.exchange("MODE #a +zm", from: alice)
    #expect(reply.commands == ["472", "MODE"])
    #expect(reply.first?.params == ["alice", "z", "is unknown mode char to me"])
    #expect(h.channel("#a").modes.moderated)
  }

  @Test func unknownChannelGets403() {
    let (h, alice, _) = channel()
    let reply = h.exchange("MODE #nope", from: alice)
    #expect(reply.commands == ["403"])
    #expect(reply.first?.params == ["alice", "#nope", "No such channel"])
  }
}
