import LyceumProtocol
import Testing

@testable import LyceumCore

/// `+e` ban exceptions, `$m:` mute bans and `+C` (no CTCP), per Modern IRC's "Exception Channel
/// Mode" and the EXCEPTS/EXTBAN ISUPPORT parameters.
@Suite("Ban exceptions, mute bans and +C")
struct BanExceptionMuteTests {
  /// `alice` operates `#a`; `bob` is a member; `carol` is outside.
  private func channel() -> (CoreHarness, ClientID, ClientID, ClientID) {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob")
    let carol = h.connectRegistered("carol")
    h.send("JOIN #a", from: alice)
    h.place(bob, in: "#a")
    _ = h.messages(for: alice)
    return (h, alice, bob, carol)
  }

  @Test func anExceptionLetsABannedUserJoinAndSpeak() {
    let (h, alice, _, carol) = channel()
    #expect(h.exchange("MODE #a +b *!*@198.51.100.7", from: alice).commands == ["MODE"])
    #expect(h.exchange("JOIN #a", from: carol).commands == ["474"])
    let set = h.exchange("MODE #a +e carol", from: alice)
    #expect(set.first?.params == ["#a", "+e", "carol!*@*"])
    #expect(h.exchange("JOIN #a", from: carol).commands.first == "JOIN")
    _ = h.messages(for: alice)
    #expect(h.exchange("PRIVMSG #a :hello", from: carol).isEmpty)
    #expect(h.messages(for: alice).commands == ["PRIVMSG"])

    let list = h.exchange("MODE #a e", from: alice)
    #expect(list.commands == ["348", "349"])
    #expect(list[0].params.prefix(3) == ["alice", "#a", "carol!*@*"])
    #expect(list[1].params == ["alice", "#a", "End of channel exception list"])
  }

  @Test func aMuteBanLetsJoinAndReadButNotSpeak() {
    let (h, alice, bob, _) = channel()
    let set = h.exchange("MODE #a +b $m:bob", from: alice)
    #expect(set.first?.params == ["#a", "+b", "$m:bob!*@*"])
    let refused = h.exchange("PRIVMSG #a :can I speak?", from: bob)
    #expect(refused.commands == ["404"])
    #expect(h.messages(for: alice).isEmpty)
    // Still a member who reads the room and may rejoin.
    h.send("PRIVMSG #a :you may read", from: alice)
    #expect(h.messages(for: bob).commands == ["PRIVMSG"])
    h.send("PART #a", from: bob)
    #expect(h.exchange("JOIN #a", from: bob).commands.first == "JOIN")
    // An exception lifts the mute; voice does too.
    _ = h.exchange("MODE #a +e bob", from: alice)
    #expect(h.exchange("PRIVMSG #a :thanks", from: bob).isEmpty)
  }

  @Test func muteBansBelongInPlusBOnly() {
    let (h, alice, _, _) = channel()
    for mode in ["+e", "+I"] {
      let reply = h.exchange("MODE #a \(mode) $m:bob", from: alice)
      #expect(reply.commands == ["696"], "\(mode)")
    }
    #expect(h.exchange("MODE #a +b $m:$m:bob", from: alice).commands == ["696"])
    #expect(h.exchange("MODE #a +b $m:$a:bob", from: alice).commands == ["MODE"])
  }

  @Test func noCTCPRefusesAllButAction() {
    let (h, alice, bob, _) = channel()
    #expect(h.exchange("MODE #a +C", from: alice).first?.params == ["#a", "+C"])
    #expect(h.exchange("MODE #a", from: alice).first?.params.dropFirst(2).first == "+Cnt")
    let version = h.exchange("PRIVMSG #a :\u{1}VERSION\u{1}", from: bob)
    #expect(version.commands == ["404"])
    #expect(version.first?.params.last == "Cannot send CTCP to channel (+C)")
    #expect(h.exchange("PRIVMSG #a :\u{1}ACTION waves\u{1}", from: bob).isEmpty)
    #expect(h.messages(for: alice).commands == ["PRIVMSG"])
    // To a person, CTCP still works.
    #expect(h.exchange("PRIVMSG alice :\u{1}VERSION\u{1}", from: bob).isEmpty)
  }

  @Test func isupportAdvertisesTheModes() {
    let tokens = CoreHarness().core.isupportTokens
    for token in [
      "CHANMODES=Ibe,k,l,Cimnst", "EXCEPTS=e", "EXTBAN=$,aim", "MAXLIST=beI:100",
      "ACCOUNTEXTBAN=a",
    ] {
      #expect(tokens.contains(token), "\(token)")
    }
  }
}

/// MODE lines stay within 512 bytes: long masks go out as several MODE lines.
@Suite("MODE line length")
struct ModeLineLengthTests {
  @Test func longMasksAreSplitOverSeveralModeLines() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: String(repeating: "u", count: 18))
    let bob = h.connectRegistered("bob")
    h.send("JOIN #a", from: alice)
    h.place(bob, in: "#a")
    _ = h.messages(for: alice)
    let masks = (0..<6).map { "*!*@" + String(repeating: "h", count: 150) + "\($0).example" }
    let reply = h.exchange("MODE #a +bbbbbb " + masks.joined(separator: " "), from: alice)
    #expect(reply.commands.allSatisfy { $0 == "MODE" })
    #expect(reply.count > 1)
    #expect(reply.flatMap { $0.params.dropFirst(2) } == masks)
    for line in h.lines(for: bob) {
      #expect(line.utf8.count <= 512, "\(line.utf8.count) bytes: \(line.prefix(80))…")
    }
    #expect(h.channel("#a").bans.map(\.mask) == masks)
  }

  @Test func aMaskLongerThan250BytesIsRefused() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.send("JOIN #a", from: alice)
    _ = h.messages(for: alice)
    let reply = h.exchange("MODE #a +b *!*@" + String(repeating: "h", count: 260), from: alice)
    #expect(reply.commands == ["696"])
    #expect(h.channel("#a").bans.isEmpty)
  }
}
