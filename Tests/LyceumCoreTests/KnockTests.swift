import LyceumProtocol
import Testing

@testable import LyceumCore

/// `KNOCK`: asking an invite-only channel's operators for an invitation, with solanum's
/// numerics and rate limits.
@Suite("KNOCK")
struct KnockTests {
  /// Ada operates `#partners` (`+i`), Carol is a plain member; Bob is outside.
  func partners() -> (CoreHarness, ada: ClientID, carol: ClientID, bob: ClientID) {
    let h = CoreHarness()
    let ada = h.connectRegistered("ada")
    let carol = h.connectRegistered("carol")
    let bob = h.connectRegistered("bob", user: "bob")
    _ = h.exchange("JOIN #partners", from: ada)
    _ = h.exchange("MODE #partners +i", from: ada)
    h.place(carol, in: "#partners")
    _ = h.lines(for: ada)
    _ = h.lines(for: carol)
    return (h, ada, carol, bob)
  }

  @Test func aKnockReachesTheOperatorsOnlyAndIsConfirmed() {
    let (h, ada, carol, bob) = partners()
    let reply = h.exchange("KNOCK #Partners :Erasmus student, Salamanca", from: bob)
    #expect(reply.map(\.command) == ["711"])
    #expect(reply.first?.params == ["bob", "#partners", "Your KNOCK has been delivered."])
    let told = h.messages(for: ada)
    #expect(told.map(\.command) == ["710"])
    #expect(
      told.first?.params == [
        "#partners", "#partners", "bob!bob@198.51.100.7",
        "has asked for an invite (Erasmus student, Salamanca).",
      ])
    #expect(h.lines(for: carol).isEmpty)
    // The operator can now invite, and the invitation lets Bob in.
    _ = h.exchange("INVITE bob #partners", from: ada)
    #expect(h.exchange("JOIN #partners", from: bob).first?.command == "JOIN")
  }

  @Test func refusalsInSolanumsOrder() {
    let (h, ada, carol, bob) = partners()
    #expect(h.exchange("KNOCK #nowhere", from: bob).first?.command == "403")
    #expect(h.exchange("KNOCK #partners", from: carol).first?.command == "714")
    _ = h.exchange("JOIN #open", from: ada)
    #expect(h.exchange("KNOCK #open", from: bob).first?.command == "713")
    _ = h.exchange("MODE #partners +b bob!*@*", from: ada)
    let banned = h.exchange("KNOCK #partners", from: bob)
    #expect(banned.first?.command == "404")
    _ = h.exchange("MODE #partners -b bob!*@*", from: ada)
    _ = h.exchange("MODE #partners +I bob!*@*", from: ada)
    #expect(h.exchange("KNOCK #partners", from: bob).first?.command == "713")
    _ = h.exchange("JOIN #secret", from: ada)
    _ = h.exchange("MODE #secret +si", from: ada)
    #expect(h.exchange("KNOCK #secret", from: bob).first?.command == "403")
    #expect(h.exchange("KNOCK", from: bob).first?.command == "461")
  }

  @Test func knocksAreLimitedPerUserAndPerChannel() {
    let (h, ada, _, bob) = partners()
    _ = h.exchange("JOIN #lab", from: ada)
    _ = h.exchange("MODE #lab +k sesame", from: ada)
    #expect(h.exchange("KNOCK #partners", from: bob).first?.command == "711")
    let again = h.exchange("KNOCK #lab", from: bob)
    #expect(again.first?.command == "712")
    #expect(again.first?.params.last == "Too many KNOCKs (user).")
    let dan = h.connectRegistered("dan")
    let channel = h.exchange("KNOCK #partners", from: dan)
    #expect(channel.first?.params.last == "Too many KNOCKs (channel).")
    #expect(h.exchange("KNOCK #lab", from: dan).first?.command == "711")
    h.clock.advance(by: .seconds(61))
    #expect(h.exchange("KNOCK #lab", from: bob).first?.command == "711")
  }
}
