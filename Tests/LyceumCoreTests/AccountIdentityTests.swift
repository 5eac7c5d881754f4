import LyceumProtocol
import Testing

@testable import LyceumCore

/// How a logged-in client looks to others: IRCv3 account-tag, account-notify, extended-join,
/// the `bot` tag and `+B` (IRCv3 bot mode), WHOIS `330`/`320` and WHOX; and nick reservation.
@Suite("Accounts: identity on the wire")
struct AccountIdentityTests {
  /// alice (logged in), bob (with `caps`) and carol (no caps) in #lab; bob and carol joined
  /// first, alice last, output discarded.
  private func lab(
    bobCaps: [String], alice: AccountSummary = Accounts.summary("alice")
  ) -> (CoreHarness, alice: ClientID, bob: ClientID, carol: ClientID) {
    let h = CoreHarness()
    let bob = h.register(nick: "bob", caps: bobCaps)
    let carol = h.register(nick: "carol")
    h.send("JOIN #lab", from: bob)
    h.send("JOIN #lab", from: carol)
    let aliceID = h.registerLoggedIn(nick: "alice", as: alice)
    h.send("JOIN #lab", from: aliceID)
    for id in [aliceID, bob, carol] { _ = h.lines(for: id) }
    return (h, aliceID, bob, carol)
  }

  @Test func accountTagOnJoinAndPrivmsgOnlyWithCapability() {
    let h = CoreHarness()
    let bob = h.register(nick: "bob", caps: ["account-tag"])
    let carol = h.register(nick: "carol")
    h.send("JOIN #lab", from: bob)
    h.send("JOIN #lab", from: carol)
    _ = h.lines(for: bob)
    _ = h.lines(for: carol)
    let alice = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    h.send("JOIN #lab", from: alice)
    h.send("PRIVMSG #lab :hello", from: alice)
    let toBob = h.messages(for: bob)
    #expect(toBob.commands == ["JOIN", "PRIVMSG"])
    #expect(toBob.allSatisfy { $0.tag("account") == .some("alice") })
    let toCarol = h.messages(for: carol)
    #expect(toCarol.commands == ["JOIN", "PRIVMSG"])
    #expect(toCarol.allSatisfy { $0.tags.isEmpty })
  }

  @Test func noAccountTagForGuests() {
    let (h, _, bob, carol) = lab(bobCaps: ["account-tag"])
    h.send("PRIVMSG #lab :hi", from: carol)
    let toBob = h.messages(for: bob)
    #expect(toBob.commands == ["PRIVMSG"])
    #expect(!toBob[0].hasTag("account"))
  }

  @Test func botAccountGetsModeBAfterWelcomeAndBotTag() {
    let h = CoreHarness()
    let bob = h.register(nick: "bob", caps: ["message-tags"])
    let carol = h.register(nick: "carol")
    h.send("JOIN #lab", from: bob)
    h.send("JOIN #lab", from: carol)
    _ = h.lines(for: bob)
    _ = h.lines(for: carol)
    let bot = h.startRegistration(nick: "ingest")
    h.saslLogin(bot, as: Accounts.summary("ingest", role: .bot))
    _ = h.lines(for: bot)
    let welcome = h.exchange("CAP END", from: bot)
    let welcomeIndex = welcome.commands.firstIndex(of: "001")
    let modeIndex = welcome.commands.firstIndex(of: "MODE")
    #expect(welcomeIndex != nil && modeIndex != nil && welcomeIndex! < modeIndex!)
    #expect(modeIndex.map { welcome[$0].params } == ["ingest", "+B"])
    #expect(modeIndex.map { welcome[$0].source } == "ingest!ingest@198.51.100.7")
    #expect(h.client(bot).isBot)
    h.send("JOIN #lab", from: bot)
    _ = h.lines(for: bob)
    _ = h.lines(for: carol)
    h.send("PRIVMSG #lab :build passed", from: bot)
    let toBob = h.messages(for: bob)
    #expect(toBob.count == 1)
    #expect(toBob.first?.hasTag("bot") == true)
    #expect(h.messages(for: carol).first?.tags.isEmpty == true)
  }

  @Test func extendedJoinShowsAccount() {
    let h = CoreHarness()
    let bob = h.register(nick: "bob", caps: ["extended-join"])
    h.send("JOIN #lab", from: bob)
    _ = h.lines(for: bob)
    let alice = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    h.send("JOIN #lab", from: alice)
    let dave = h.register(nick: "dave")
    h.send("JOIN #lab", from: dave)
    let joins = h.messages(for: bob)
    #expect(joins.commands == ["JOIN", "JOIN"])
    #expect(joins.first?.params == ["#lab", "alice", "alice Example"])
    #expect(joins.last?.params == ["#lab", "*", "dave Example"])
  }

  @Test func accountNotifyWhenLoggingInAfterRegistration() {
    let h = CoreHarness()
    let bob = h.register(nick: "bob", caps: ["account-notify"])
    let carol = h.register(nick: "carol")
    let alice = h.register(nick: "alice", caps: ["sasl"])
    let outsider = h.register(nick: "erin", caps: ["account-notify"])
    for id in [bob, carol, alice] { h.send("JOIN #lab", from: id) }
    for id in [bob, carol, alice, outsider] { _ = h.lines(for: id) }
    h.saslLogin(alice, as: Accounts.summary("alice"))
    #expect(h.messages(for: alice).commands == ["AUTHENTICATE", "900", "903"])
    let toBob = h.messages(for: bob)
    #expect(toBob.commands == ["ACCOUNT"])
    #expect(toBob.first?.source == "alice!alice@198.51.100.7")
    #expect(toBob.first?.params == ["alice"])
    #expect(h.lines(for: carol).isEmpty)
    #expect(h.lines(for: outsider).isEmpty)
  }

  @Test func whoisShowsAccountAndInstitution() {
    let faculty = Accounts.summary("alice", institution: "Universidad de Salamanca", role: .faculty)
    let (h, _, bob, carol) = lab(bobCaps: [], alice: faculty)
    let reply = h.exchange("WHOIS alice", from: bob)
    #expect(reply.with("330").first?.params == ["bob", "alice", "alice", "is logged in as"])
    #expect(
      reply.with("320").first?.params == ["bob", "alice", "is faculty at Universidad de Salamanca"])
    let guest = h.exchange("WHOIS carol", from: bob)
    #expect(guest.with("330").isEmpty)
    #expect(guest.with("320").isEmpty)
    #expect(guest.last?.command == "318")
    _ = carol
  }

  @Test func whoxAccountField() {
    let (h, _, bob, _) = lab(bobCaps: [])
    let reply = h.exchange("WHO #lab %na", from: bob)
    #expect(
      reply.with("354").map(\.params) == [
        ["bob", "bob", "0"], ["bob", "carol", "0"], ["bob", "alice", "alice"],
      ])
    #expect(reply.last?.command == "315")
  }

  // MARK: Nick reservation

  @Test func reservedNickHoldsRegistrationUntilAnotherNick() {
    let h = CoreHarness()
    h.core.loadAccounts([Accounts.summary("alice")])
    let id = h.connect()
    h.send("NICK Alice", from: id)
    let reply = h.exchange("USER mallory 0 * :Mallory", from: id)
    #expect(reply.commands == ["433"])
    #expect(reply.first?.params.dropFirst().first == "Alice")
    #expect(reply.first?.params.last?.contains("reserved") == true)
    #expect(!h.session(id).isRegistered)
    let welcome = h.exchange("NICK mallory", from: id)
    #expect(welcome.first?.command == "001")
    #expect(welcome.first?.params.first == "mallory")
  }

  @Test func registeredClientCannotTakeReservedNick() {
    let h = CoreHarness()
    h.core.loadAccounts([Accounts.summary("alice")])
    let id = h.register(nick: "mallory")
    let reply = h.exchange("NICK alice", from: id)
    #expect(reply.commands == ["433"])
    #expect(reply.first?.params.prefix(2) == ["mallory", "alice"])
    #expect(h.client(id).nick == "mallory")
  }

  @Test func loggingInKeepsReservedNick() {
    let h = CoreHarness()
    h.core.loadAccounts([Accounts.summary("alice")])
    let id = h.startRegistration(nick: "alice")
    h.saslLogin(id, as: Accounts.summary("alice"))
    _ = h.lines(for: id)
    let welcome = h.exchange("CAP END", from: id)
    #expect(welcome.first?.command == "001")
    #expect(welcome.first?.params.first == "alice")
    #expect(!welcome.commands.contains("433"))
  }
}
