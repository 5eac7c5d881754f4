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

@Suite("Account directory and extended-ban checks")
struct AccountDirectoryTests {
  @Test func reloadingTheDirectoryRefreshesLoggedInClientsAndReservations() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob")
    h.place(alice, in: "#a")
    h.place(bob, in: "#a")
    h.client(alice).account = AccountSummary(name: "alice", foldedName: "alice")
    h.core.loadAccounts([
      AccountSummary(name: "alice", foldedName: "alice", institution: "Uppsala", role: .bot),
      AccountSummary(name: "late", foldedName: "late"),
    ])
    #expect(h.client(alice).account?.institution == "Uppsala")
    #expect(h.client(alice).isBot)
    #expect(h.lines(for: alice) == [":alice!alice@198.51.100.7 MODE alice :+B"])
    #expect(h.exchange("NICK late", from: bob).commands == ["433"])
  }

  @Test func unknownExtendedBansAreRefused() {
    let h = CoreHarness()
    let op = h.connectRegistered("op")
    h.place(op, in: "#a", as: Membership(isOperator: true))
    let reply = h.exchange("MODE #a +b $x:foo", from: op)
    #expect(reply.commands == ["696"])
    #expect(reply.first?.params.prefix(4) == ["op", "#a", "b", "$x:foo"])
    #expect(h.channel("#a").bans.isEmpty)
    #expect(h.exchange("MODE #a +b $a:mallory", from: op).commands == ["MODE"])
  }
}

@Suite("Secret channel lists")
struct SecretChannelListTests {
  @Test func banListsOfSecretChannelsAreForMembersOnly() {
    let h = CoreHarness()
    let op = h.connectRegistered("op")
    let outsider = h.connectRegistered("outsider")
    h.place(op, in: "#s", as: Membership(isOperator: true))
    h.send("MODE #s +s", from: op)
    h.send("MODE #s +b troll!*@*", from: op)
    #expect(h.exchange("MODE #s b", from: outsider).commands == ["442"])
    #expect(h.exchange("MODE #s b", from: op).commands == ["367", "368"])
  }
}
