import LyceumProtocol
import Testing

@testable import LyceumCore

/// `ACCOUNTS` (operators) and `TOKEN` (operators, or the account's owner) raise
/// administration requests and turn the answers into `NOTE`/`FAIL` lines.
@Suite("ACCOUNTS and TOKEN")
struct AdminCommandTests {
  private func adminRequests(_ h: CoreHarness) -> [AdminRequest] {
    h.events.compactMap {
      if case .account(.admin(_, let request)) = $0 { return request }
      return nil
    }
  }

  @Test func accountsIsForOperatorsOnly() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    #expect(h.exchange("ACCOUNTS CREATE bob faculty pw", from: alice).commands == ["481"])
    h.client(alice).isOperator = true
    #expect(h.exchange("ACCOUNTS CREATE bob faculty pw :Uni X", from: alice).isEmpty)
    #expect(
      adminRequests(h)
        == [.createAccount(name: "bob", role: "faculty", password: "pw", institution: "Uni X")])
  }

  @Test func tokensOfOwnAccountOnlyUnlessOperator() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.client(alice).account = AccountSummary(name: "alice", foldedName: "alice")
    let refused = h.exchange("TOKEN CREATE bob cron", from: alice)
    #expect(refused.commands == ["FAIL"])
    #expect(refused.first?.params.prefix(3) == ["TOKEN", "NO_PERMISSION", "bob"])
    #expect(h.exchange("TOKEN CREATE Alice cron", from: alice).isEmpty)
    #expect(adminRequests(h) == [.createToken(account: "Alice", name: "cron")])
  }

  @Test func answersBecomeNotesAndUpdateTheDirectory() {
    let h = CoreHarness()
    let op = h.connectRegistered("op")
    h.client(op).isOperator = true
    h.send("ACCOUNTS CREATE prof faculty pw", from: op)
    let summary = AccountSummary(name: "prof", foldedName: "prof", role: .faculty)
    h.core.accountResponse(
      .adminSucceeded(
        AdminOutcome(notes: [["CREATED", "prof", "Account created"]], updated: summary)),
      for: op)
    let notes = h.messages(for: op)
    #expect(notes.commands == ["NOTE"])
    #expect(notes.first?.params == ["ACCOUNTS", "CREATED", "prof", "Account created"])
    #expect(h.core.accounts["prof"] == summary)
    h.send("TOKEN LIST prof", from: op)
    h.core.accountResponse(.adminFailed(code: "NO_SUCH_ACCOUNT", description: "no"), for: op)
    #expect(h.messages(for: op).first?.params == ["TOKEN", "NO_SUCH_ACCOUNT", "no"])
  }
}
