import LyceumProtocol
import Testing

@testable import LyceumCore

/// `draft/read-marker`: `MARKREAD` get and set, markers that only move forward, sync to every
/// session of the account, the marker after JOIN, errors, and markers loaded from the store.
@Suite("MARKREAD")
struct ReadMarkerTests {
  private let alice = Accounts.summary("alice")
  /// The harness clock's wall time at start: 2023-11-14T22:13:20.000Z.
  private static let start: Int64 = 1_700_000_000_000
  private static func stamp(_ milliseconds: Int64) -> String {
    "timestamp=" + ServerTime.format(milliseconds: milliseconds)
  }

  private func harness(configure: (inout CoreConfiguration) -> Void = { _ in }) -> CoreHarness {
    let h = CoreHarness {
      $0.historyEnabled = true
      $0.limits.replayOnJoin = 0  // replay on join has tests of its own
      configure(&$0)
    }
    h.clock.advance(by: .seconds(3600))
    return h
  }

  @Test func capabilityIsOfferedOnlyWithHistory() {
    let on = harness()
    let id = on.connect()
    let ls = on.exchange("CAP LS 302", from: id)
    #expect(ls.first?.params.last?.split(separator: " ").contains("draft/read-marker") == true)
    let off = CoreHarness()
    let other = off.connect()
    let offLS = off.exchange("CAP LS 302", from: other)
    #expect(offLS.first?.params.last?.contains("read-marker") == false)
    #expect(off.exchange("CAP REQ draft/read-marker", from: other).first?.params[1] == "NAK")
  }

  @Test func getWithoutMarkerIsStar() {
    let h = harness()
    let id = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    let reply = h.exchange("MARKREAD #lab", from: id)
    #expect(reply.count == 1)
    #expect(reply.first?.source == "irc.test")
    #expect(reply.first?.command == "MARKREAD")
    #expect(reply.first?.params == ["#lab", "*"])
  }

  @Test func setThenGetAndOnlyForward() {
    let h = harness()
    let id = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    let t = Self.start + 1000
    #expect(
      h.exchange("MARKREAD #Lab \(Self.stamp(t))", from: id).first?.params == [
        "#Lab", Self.stamp(t),
      ])
    #expect(h.exchange("MARKREAD #lab", from: id).first?.params == ["#lab", Self.stamp(t)])
    // Older or equal: the stored value comes back and nothing moves.
    #expect(
      h.exchange("MARKREAD #lab \(Self.stamp(t - 500))", from: id).first?.params == [
        "#lab", Self.stamp(t),
      ])
    #expect(
      h.exchange("MARKREAD #lab \(Self.stamp(t))", from: id).first?.params == [
        "#lab", Self.stamp(t),
      ])
    #expect(h.core.readMarkers["alice"]?["#lab"] == t)
    // Only the first set raised a store write.
    let writes = h.events.filter {
      if case .readMarkerChanged = $0 { return true } else { return false }
    }
    #expect(writes == [.readMarkerChanged(account: "alice", target: "#lab", milliseconds: t)])
  }

  @Test func futureTimesAreClampedToNow() {
    let h = harness()
    let id = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    let now = h.clock.wallClockMilliseconds()
    let reply = h.exchange("MARKREAD bob \(Self.stamp(now + 86_400_000))", from: id)
    #expect(reply.first?.params == ["bob", Self.stamp(now)])
  }

  @Test func movedMarkerReachesEverySessionWithTheCapability() {
    let h = harness()
    let a = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    let b = h.registerLoggedIn(nick: "alice2", as: alice, caps: ["draft/read-marker"])
    let c = h.registerLoggedIn(nick: "alice3", as: alice)  // no capability
    let carol = h.register(nick: "carol", caps: ["draft/read-marker"])
    #expect(h.session(b).client === h.client(a))
    let t = Self.start + 2000
    let reply = h.exchange("MARKREAD #lab \(Self.stamp(t))", from: a)
    #expect(reply.commands == ["MARKREAD"])
    let synced = h.messages(for: b)
    #expect(synced.commands == ["MARKREAD"])
    #expect(synced.first?.params == ["#lab", Self.stamp(t)])
    #expect(h.lines(for: c).isEmpty)
    #expect(h.lines(for: carol).isEmpty)  // never shown to anyone else
    // A set that does not move it is answered to the sender only.
    _ = h.exchange("MARKREAD #lab \(Self.stamp(t - 1))", from: b)
    #expect(h.lines(for: a).isEmpty)
  }

  @Test func joinSendsMarkerBeforeEndOfNames() {
    let h = harness()
    let id = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    let t = Self.start + 3000
    _ = h.exchange("MARKREAD #lab \(Self.stamp(t))", from: id)
    let burst = h.exchange("JOIN #lab", from: id)
    #expect(burst.commands == ["JOIN", "MARKREAD", "353", "366"])
    #expect(burst[1].params == ["#lab", Self.stamp(t)])
    let other = h.exchange("JOIN #fresh", from: id)
    #expect(other.with("MARKREAD").first?.params == ["#fresh", "*"])
    // Without the capability: no MARKREAD on join.
    let plain = h.register(nick: "bob")
    #expect(h.exchange("JOIN #lab", from: plain).with("MARKREAD").isEmpty)
  }

  @Test func attachedSessionGetsMarkersOfItsChannels() {
    let h = harness()
    let a = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    _ = h.exchange("JOIN #lab", from: a)
    _ = h.exchange("MARKREAD #lab \(Self.stamp(Self.start + 10))", from: a)
    let b = h.startRegistration(nick: "alice2", caps: ["draft/read-marker"])
    h.saslLogin(b, as: alice)
    _ = h.lines(for: b)
    let burst = h.exchange("CAP END", from: b)
    guard let join = burst.commands.firstIndex(of: "JOIN") else {
      Issue.record("no JOIN in \(burst.commands)")
      return
    }
    #expect(burst[join + 1].command == "MARKREAD")
    #expect(burst[join + 1].params == ["#lab", Self.stamp(Self.start + 10)])
  }

  @Test func errorsAreStandardReplies() {
    let h = harness()
    let id = h.registerLoggedIn(nick: "alice", as: alice, caps: ["draft/read-marker"])
    #expect(
      h.exchange("MARKREAD", from: id).first?.params == [
        "MARKREAD", "NEED_MORE_PARAMS", "Missing parameters",
      ])
    let star = h.exchange("MARKREAD #lab *", from: id).first
    #expect(star?.command == "FAIL")
    #expect(star?.params.prefix(3) == ["MARKREAD", "INVALID_PARAMS", "*"])
    let bad = h.exchange("MARKREAD #lab timestamp=yesterday", from: id).first
    #expect(bad?.params.prefix(3) == ["MARKREAD", "INVALID_PARAMS", "timestamp=yesterday"])
    let msgid = h.exchange("MARKREAD #lab msgid=abc", from: id).first
    #expect(msgid?.params.prefix(2) == ["MARKREAD", "INVALID_PARAMS"])
    let target = h.exchange("MARKREAD a,b", from: id).first
    #expect(target?.params.prefix(3) == ["MARKREAD", "INVALID_PARAMS", "a,b"])
    #expect(h.core.readMarkers.isEmpty)
  }

  @Test func tooManyTargetsIsInternalError() {
    let h = harness { $0.limits.readMarkersPerAccount = 2 }
    let id = h.registerLoggedIn(nick: "alice", as: alice)
    let t = Self.stamp(Self.start)
    _ = h.exchange("MARKREAD #a \(t)", from: id)
    _ = h.exchange("MARKREAD #b \(t)", from: id)
    let third = h.exchange("MARKREAD #c \(t)", from: id).first
    #expect(third?.params.prefix(3) == ["MARKREAD", "INTERNAL_ERROR", "#c"])
    // An existing target still moves.
    #expect(
      h.exchange("MARKREAD #a \(Self.stamp(Self.start + 1))", from: id).first?.command == "MARKREAD"
    )
  }

  @Test func unknownWithoutHistory() {
    let h = CoreHarness()
    let id = h.register(nick: "alice")
    #expect(h.exchange("MARKREAD #lab", from: id).first?.command == "421")
  }

  @Test func guestsKeepMarkersInMemoryPerClient() {
    let h = harness()
    let guest = h.register(nick: "guest", caps: ["draft/read-marker"])
    let other = h.register(nick: "other", caps: ["draft/read-marker"])
    let t = Self.start + 5
    #expect(
      h.exchange("MARKREAD #lab \(Self.stamp(t))", from: guest).first?.params == [
        "#lab", Self.stamp(t),
      ])
    #expect(h.exchange("MARKREAD #lab", from: guest).first?.params == ["#lab", Self.stamp(t)])
    #expect(h.exchange("MARKREAD #lab", from: other).first?.params == ["#lab", "*"])
    #expect(h.core.readMarkers.isEmpty)
    #expect(!h.events.contains { if case .readMarkerChanged = $0 { true } else { false } })
  }

  @Test func loadedMarkersAnswerAndTheNewerOfTwoWins() {
    let h = harness()
    h.core.loadReadMarkers([
      ReadMarker(account: "alice", target: "#lab", milliseconds: 50),
      ReadMarker(account: "alice", target: "#lab", milliseconds: 70),
      ReadMarker(account: "bob", target: "#lab", milliseconds: 90),
    ])
    let id = h.registerLoggedIn(nick: "alice", as: alice)
    #expect(h.exchange("MARKREAD #LAB", from: id).first?.params == ["#LAB", Self.stamp(70)])
  }

  @Test func usesTheHistoryFloodBucket() {
    #expect(CommandFloodLimits().cost(of: "MARKREAD") == .history)
  }

  @Test func inMemoryStoreKeepsTheNewer() throws {
    let store = InMemoryReadMarkerStore()
    try store.save(ReadMarker(account: "b", target: "#x", milliseconds: 5))
    try store.save(ReadMarker(account: "a", target: "#y", milliseconds: 9))
    try store.save(ReadMarker(account: "a", target: "#y", milliseconds: 3))
    #expect(
      try store.allMarkers() == [
        ReadMarker(account: "a", target: "#y", milliseconds: 9),
        ReadMarker(account: "b", target: "#x", milliseconds: 5),
      ])
  }
}
