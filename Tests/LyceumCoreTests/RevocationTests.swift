import LyceumProtocol
import Testing

@testable import LyceumCore

/// Revoking a token, changing a password or deleting an account ends the sessions that logged
/// in with it: at once when done over IRC (`TOKEN`, `ACCOUNTS`), at the next reload when done
/// with `lyceumd` (protocol/ACCOUNTS.md § Sessions and revocation).
@Suite("Revocation ends sessions")
struct RevocationTests {
  static let ada = AccountSummary(name: "ada", foldedName: "ada", createdAtMilliseconds: 100)
  static let token = LoginCredential.token(digest: "d1")

  /// ada on two devices: a laptop logged in with her password, a bot with her token `d1`.
  private func adaTwice(_ h: CoreHarness) -> (laptop: ClientID, bot: ClientID) {
    h.core.loadAccounts([Self.ada])
    let laptop = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let bot = h.registerLoggedIn(nick: "ada", as: Self.ada, via: Self.token)
    #expect(h.session(bot).client === h.client(laptop))
    return (laptop, bot)
  }

  private func errors(_ h: CoreHarness, _ id: ClientID) -> [String] {
    h.messages(for: id).with("ERROR").compactMap(\.params.last)
  }

  @Test func revokingATokenOverIRCEndsTheSessionsThatUsedItAtOnce() {
    let h = CoreHarness()
    let (laptop, bot) = adaTwice(h)
    h.send("TOKEN REVOKE ada ci", from: laptop)
    h.answer(
      .adminSucceeded(
        AdminOutcome(
          notes: [["REVOKED", "ada", "ci", "Token revoked"]], updated: Self.ada,
          credentials: AccountCredentials(createdAtMilliseconds: 100, passwordStamp: "s1"))),
      for: laptop)
    #expect(h.closed == [bot])
    #expect(errors(h, bot).first?.hasSuffix("(Token revoked)") == true)
    #expect(h.messages(for: laptop).commands == ["NOTE"])
    #expect(h.client(laptop).account == Self.ada)
    // A second `TOKEN CREATE` from the revoked session is impossible: it is gone.
    #expect(h.core.sessions[bot] == nil)
  }

  @Test func aPasswordChangeEndsTheOtherPasswordSessionsButNotTheRequesterOrTokens() {
    let h = CoreHarness()
    let (laptop, bot) = adaTwice(h)
    let phone = h.registerLoggedIn(nick: "ada", as: Self.ada)
    h.client(laptop).isOperator = true
    h.send("ACCOUNTS SET ada password :n3w-secret", from: laptop)
    let now = AccountCredentials(
      createdAtMilliseconds: 100, passwordStamp: "s2", tokenDigests: ["d1"])
    h.answer(
      .adminSucceeded(
        AdminOutcome(
          notes: [["UPDATED", "ada", "password", "Account updated"]], updated: Self.ada,
          credentials: now)),
      for: laptop)
    #expect(h.closed == [phone])
    #expect(errors(h, phone).first?.hasSuffix("(Password changed)") == true)
    #expect(h.core.sessions[bot] != nil)
    // The requester proved the new password by setting it: a reload keeps it.
    #expect(h.session(laptop).login == .password(stamp: "s2"))
    h.core.endRevokedSessions(["ada": now], asOf: h.clock.wallClockMilliseconds() + 1)
    _ = h.lines(for: laptop)
    #expect(h.closed == [phone])
  }

  @Test func deletingAnAccountOverIRCEndsAllItsSessions() {
    let h = CoreHarness()
    let (laptop, bot) = adaTwice(h)
    let op = h.connectRegistered("op")
    h.client(op).isOperator = true
    h.send("ACCOUNTS DELETE ada", from: op)
    h.answer(
      .adminSucceeded(
        AdminOutcome(notes: [["DELETED", "ada", "Account deleted"]], deleted: "ada")),
      for: op)
    #expect(Set(h.closed) == [laptop, bot])
    #expect(errors(h, bot).first?.hasSuffix("(Account deleted)") == true)
    #expect(h.core.clients.values.allSatisfy { $0.account?.foldedName != "ada" })
  }

  /// `lyceumd token revoke` and `lyceumd account delete` run in another process: the server
  /// learns of them at its reload, which reads the credentials back.
  @Test func aReloadEndsSessionsOfRevokedTokensAndDeletedAccounts() {
    let h = CoreHarness()
    let (laptop, bot) = adaTwice(h)
    let bea = AccountSummary(name: "bea", foldedName: "bea", createdAtMilliseconds: 100)
    h.core.loadAccounts([Self.ada, bea])
    let beaID = h.registerLoggedIn(nick: "bea", as: bea)
    h.clock.advance(by: .seconds(1))
    let asOf = h.clock.wallClockMilliseconds()
    // A session that logged in after the reading may have used a token created since.
    h.clock.advance(by: .seconds(1))
    let late = h.registerLoggedIn(nick: "late", as: bea, via: .token(digest: "new"))

    h.core.loadAccounts([Self.ada])
    h.core.endRevokedSessions(
      ["ada": AccountCredentials(createdAtMilliseconds: 100, passwordStamp: "s1")], asOf: asOf)
    _ = h.lines(for: laptop)
    #expect(Set(h.closed) == [bot, beaID])
    #expect(h.core.sessions[laptop] != nil)
    #expect(h.core.sessions[late] != nil)
  }

  /// An account deleted and created again under the same name before the reload is another
  /// account: the old one's sessions end even if the new one's password stamp matched.
  @Test func aReloadEndsSessionsOfAnAccountCreatedAgainUnderItsName() {
    let h = CoreHarness()
    let (laptop, bot) = adaTwice(h)
    var again = Self.ada
    again.createdAtMilliseconds = 900
    h.clock.advance(by: .seconds(1))
    h.core.loadAccounts([again])
    h.core.endRevokedSessions(
      [
        "ada": AccountCredentials(
          createdAtMilliseconds: 900, passwordStamp: "s1", tokenDigests: ["d1"])
      ],
      asOf: h.clock.wallClockMilliseconds())
    _ = h.lines(for: laptop)
    #expect(Set(h.closed) == [laptop, bot])
  }
}
