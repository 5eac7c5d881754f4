import LyceumProtocol
import Testing

@testable import LyceumCore

/// IRCv3 `draft/message-redaction`: who may `REDACT`, who is told, and what history keeps.
@Suite("draft/message-redaction")
struct RedactionTests {
  static let caps: CapabilitySet = [.messageTags, .messageRedaction, .echoMessage]

  /// `ada` and `bob` (redaction clients), `cy` (nothing), `op` (channel operator) in `#lab`;
  /// ada has said "oops" (the returned msgid).
  static func rig() -> (HistoryRig, ClientID, ClientID, ClientID, ClientID, String) {
    let rig = HistoryRig(maxMessages: 50)
    let ada = rig.h.connectRegistered("ada", capabilities: caps)
    let bob = rig.h.connectRegistered("bob", capabilities: caps)
    let cy = rig.h.connectRegistered("cy")
    let op = rig.h.connectRegistered("op", capabilities: caps)
    for id in [ada, bob, cy] { rig.h.place(id, in: "#lab") }
    rig.h.place(op, in: "#lab", as: Membership(isOperator: true))
    let msgid = rig.say("PRIVMSG #lab :oops", from: ada)[0].msgid
    for id in [ada, bob, cy, op] { _ = rig.h.lines(for: id) }
    return (rig, ada, bob, cy, op, msgid)
  }

  @Test func theSenderRedactsAndOnlyCapableMembersAreTold() {
    let (rig, ada, bob, cy, _, msgid) = Self.rig()
    let echo = rig.h.exchange("REDACT #lab \(msgid) :typo", from: ada)
    #expect(echo.commands == ["REDACT"])
    #expect(echo.first?.params == ["#lab", msgid, "typo"])
    let toBob = rig.h.messages(for: bob)
    #expect(toBob.commands == ["REDACT"])
    #expect(toBob.first?.source?.hasPrefix("ada!") == true)
    #expect(rig.h.lines(for: cy).isEmpty)
    rig.persist()
    // Erased from history; the REDACT itself is kept as an event.
    let all = try? rig.store.entries(
      HistoryQuery(
        target: .channel("#lab"), selector: .latest(after: nil), limit: 10,
        messagesOnly: false))
    #expect(all?.map(\.command) == ["REDACT"])
    #expect(all?.contains { $0.params.contains("oops") } == false)
  }

  @Test func othersMayNotButChannelAndIRCOperatorsMay() {
    let (rig, _, bob, _, op, msgid) = Self.rig()
    let refused = rig.h.exchange("REDACT #lab \(msgid)", from: bob)
    #expect(refused.first?.params.prefix(4) == ["REDACT", "REDACT_FORBIDDEN", "#lab", msgid])
    #expect(rig.h.exchange("REDACT #lab \(msgid)", from: op).commands == ["REDACT"])
    // Gone now: a second redaction names an unknown message.
    let again = rig.h.exchange("REDACT #lab \(msgid)", from: op)
    #expect(again.first?.params.prefix(2) == ["REDACT", "UNKNOWN_MSGID"])

    let (rig2, _, bob2, _, _, msgid2) = Self.rig()
    rig2.h.client(bob2).isOperator = true
    #expect(rig2.h.exchange("REDACT #lab \(msgid2)", from: bob2).commands == ["REDACT"])
  }

  @Test func badTargetsAndMsgids() {
    let (rig, ada, _, _, _, msgid) = Self.rig()
    let outsider = rig.h.connectRegistered("zed", capabilities: Self.caps)
    let notMember = rig.h.exchange("REDACT #lab \(msgid)", from: outsider)
    #expect(notMember.first?.params.prefix(3) == ["REDACT", "INVALID_TARGET", "#lab"])
    rig.h.place(ada, in: "#other")
    let wrongChannel = rig.h.exchange("REDACT #other \(msgid)", from: ada)
    #expect(wrongChannel.first?.params.prefix(2) == ["REDACT", "UNKNOWN_MSGID"])
    let unknown = rig.h.exchange("REDACT #lab nosuchid", from: ada)
    #expect(unknown.first?.params.prefix(2) == ["REDACT", "UNKNOWN_MSGID"])
    let nick = rig.h.exchange("REDACT bob \(msgid)", from: ada)  // not logged in: no DMs kept
    #expect(nick.first?.params.prefix(2) == ["REDACT", "INVALID_TARGET"])
  }

  @Test func replayedOnlyWithEventPlaybackAndTheCapability() {
    let (rig, ada, _, _, _, msgid) = Self.rig()
    rig.h.send("REDACT #lab \(msgid)", from: ada)
    rig.persist()
    let full = rig.h.connectRegistered(
      "eve", capabilities: HistoryRig.full.union([.eventPlayback, .messageRedaction]))
    rig.h.place(full, in: "#lab")
    let events = rig.ask("CHATHISTORY LATEST #lab * 10", from: full)
    #expect(events.with("REDACT").first?.params.prefix(2) == ["#lab", msgid])
    #expect(events.with("PRIVMSG").isEmpty)
    let plain = rig.h.connectRegistered("fay", capabilities: HistoryRig.full)
    rig.h.place(plain, in: "#lab")
    #expect(rig.ask("CHATHISTORY LATEST #lab * 10", from: plain).commands == ["BATCH", "BATCH"])
  }

  @Test func reactionsAreKeptAndRedactable() {
    let (rig, ada, bob, _, _, msgid) = Self.rig()
    let kept = rig.say("@+draft/react=👍;+draft/reply=\(msgid) TAGMSG #lab", from: bob)
    #expect(kept.first?.clientTags.map(\.key) == ["+draft/react", "+draft/reply"])
    _ = rig.h.lines(for: ada)
    #expect(rig.h.exchange("REDACT #lab \(kept[0].msgid)", from: bob).commands == ["REDACT"])
    #expect(rig.h.messages(for: ada).commands == ["REDACT"])
  }
}
