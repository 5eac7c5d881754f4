import LyceumProtocol
import Testing

@testable import LyceumCore

/// Several connections logged in to one account acting as one client, extended bans on
/// accounts and institutions, and bot accounts posting to channels.
@Suite("Accounts: sessions, extended bans, bots")
struct AccountSessionTests {
  private let alice = Accounts.summary("alice")

  /// Session A (alice, logged in, op of #lab with a topic) and carol in #lab; then session B
  /// logs in to alice as `alice2` and ends registration. Returns B's registration burst.
  private func twoSessions() -> (
    CoreHarness, a: ClientID, b: ClientID, carol: ClientID, [IRCMessage]
  ) {
    let h = CoreHarness()
    let a = h.registerLoggedIn(nick: "alice", as: alice)
    let carol = h.register(nick: "carol")
    h.send("JOIN #lab", from: a)
    h.send("TOPIC #lab :Protein folding", from: a)
    h.send("JOIN #lab", from: carol)
    _ = h.lines(for: a)
    _ = h.lines(for: carol)
    let b = h.startRegistration(nick: "alice2")
    h.saslLogin(b, as: alice)
    _ = h.lines(for: b)
    let burst = h.exchange("CAP END", from: b)
    return (h, a, b, carol, burst)
  }

  @Test func secondSessionGetsTheClientsNickAndChannels() {
    let (h, a, b, carol, burst) = twoSessions()
    #expect(burst.first?.command == "001")
    #expect(burst.first?.params.first == "alice")
    #expect(burst.first?.params.last?.contains("alice!alice@198.51.100.7") == true)
    guard let join = burst.commands.firstIndex(of: "JOIN") else {
      Issue.record("no JOIN in \(burst.commands)")
      return
    }
    #expect(burst[join].source == "alice!alice@198.51.100.7")
    #expect(burst[join].params == ["#lab"])
    #expect(Array(burst.commands[join...]) == ["JOIN", "332", "333", "353", "366"])
    #expect(burst[join + 1].params == ["alice", "#lab", "Protein folding"])
    #expect(burst[join + 3].params.last?.split(separator: " ").sorted() == ["@alice", "carol"])
    #expect(h.session(b).client === h.client(a))
    #expect(h.core.clients[b] == nil)
    #expect(h.core.clientsByNick["alice2"] == nil)
    #expect(h.lines(for: a).isEmpty)
    #expect(h.lines(for: carol).isEmpty)
  }

  @Test func channelMessageReachesOtherSessionOnce() {
    let (h, a, b, carol, _) = twoSessions()
    h.send("PRIVMSG #lab :hello", from: a)
    #expect(h.lines(for: a).isEmpty)
    let toB = h.messages(for: b)
    #expect(toB.commands == ["PRIVMSG"])
    #expect(toB.first?.source == "alice!alice@198.51.100.7")
    #expect(h.messages(for: carol).commands == ["PRIVMSG"])
    h.send("PRIVMSG #lab :from the phone", from: b)
    #expect(h.messages(for: a).map(\.params) == [["#lab", "from the phone"]])
    #expect(h.messages(for: carol).commands == ["PRIVMSG"])
    #expect(h.lines(for: b).isEmpty)
  }

  @Test func joinOnOneSessionShowsOnTheOther() {
    let (h, a, b, carol, _) = twoSessions()
    let reply = h.exchange("JOIN #other", from: b)
    #expect(reply.first?.command == "JOIN")
    let toA = h.messages(for: a)
    #expect(toA.first?.command == "JOIN")
    #expect(toA.first?.source == "alice!alice@198.51.100.7")
    #expect(toA.first?.params == ["#other"])
    #expect(toA.commands.contains("366"))
    #expect(h.lines(for: carol).isEmpty)
    #expect(h.client(a).channels.contains("#other"))
  }

  @Test func quitOfOneSessionIsSilentUntilTheLast() {
    let (h, a, b, carol, _) = twoSessions()
    h.send("QUIT :bye phone", from: b)
    #expect(h.messages(for: b).commands == ["ERROR"])
    #expect(h.closed == [b])
    #expect(h.lines(for: carol).isEmpty)
    #expect(h.lines(for: a).isEmpty)
    #expect(h.channel("#lab").members[a] != nil)
    h.send("QUIT :bye laptop", from: a)
    let toCarol = h.messages(for: carol)
    #expect(toCarol.commands == ["QUIT"])
    #expect(toCarol.first?.source == "alice!alice@198.51.100.7")
    #expect(h.core.clients[a] == nil)
    #expect(h.channel("#lab").members[a] == nil)
  }

  @Test func firstSessionMayLeaveFirst() {
    let (h, a, b, carol, _) = twoSessions()
    h.send("QUIT :laptop closed", from: a)
    #expect(h.lines(for: carol).isEmpty)
    h.send("PRIVMSG #lab :still there?", from: carol)
    #expect(h.messages(for: b).commands == ["PRIVMSG"])
    h.send("QUIT :phone off", from: b)
    #expect(h.messages(for: carol).commands == ["QUIT"])
    #expect(h.core.clientsByNick["alice"] == nil)
  }

  // MARK: Extended bans

  /// An operator `op` in a new #lab, output discarded.
  private func channelWithOperator() -> (CoreHarness, ClientID) {
    let h = CoreHarness()
    let op = h.register(nick: "op")
    h.send("JOIN #lab", from: op)
    _ = h.lines(for: op)
    return (h, op)
  }

  @Test func accountBanKeepsThatAccountOut() {
    let (h, op) = channelWithOperator()
    let change = h.exchange("MODE #lab +b $a:mallory", from: op)
    #expect(change.first?.params == ["#lab", "+b", "$a:mallory"])
    let list = h.exchange("MODE #lab +b", from: op)
    #expect(list.with("367").first?.params[2] == "$a:mallory")
    let mallory = h.registerLoggedIn(nick: "mal", as: Accounts.summary("mallory"))
    #expect(h.exchange("JOIN #lab", from: mallory).commands == ["474"])
    let alice = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    #expect(h.exchange("JOIN #lab", from: alice).first?.command == "JOIN")
    let guest = h.register(nick: "mallory")
    #expect(h.exchange("JOIN #lab", from: guest).first?.command == "JOIN")
  }

  @Test func plainMasksAreStillNormalized() {
    let (h, op) = channelWithOperator()
    #expect(h.exchange("MODE #lab +b eve", from: op).first?.params == ["#lab", "+b", "eve!*@*"])
    #expect(h.exchange("MODE #lab +b $a", from: op).first?.params == ["#lab", "+b", "$a"])
  }

  @Test func bareAccountBanMatchesAnyLoggedInClient() {
    let (h, op) = channelWithOperator()
    h.send("MODE #lab +b $a", from: op)
    let alice = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    #expect(h.exchange("JOIN #lab", from: alice).commands == ["474"])
    let guest = h.register(nick: "guest")
    #expect(h.exchange("JOIN #lab", from: guest).first?.command == "JOIN")
  }

  @Test func institutionInviteExceptionOpensInviteOnlyChannel() {
    let (h, op) = channelWithOperator()
    h.send("MODE #lab +i", from: op)
    let change = h.exchange("MODE #lab +I $i:Uni*Salamanca", from: op)
    #expect(change.first?.params == ["#lab", "+I", "$i:Uni*Salamanca"])
    let ana = h.registerLoggedIn(
      nick: "ana", as: Accounts.summary("ana", institution: "Universidad de Salamanca"))
    #expect(h.exchange("JOIN #lab", from: ana).first?.command == "JOIN")
    let ben = h.registerLoggedIn(nick: "ben", as: Accounts.summary("ben", institution: "MIT"))
    #expect(h.exchange("JOIN #lab", from: ben).commands == ["473"])
    let guest = h.register(nick: "guest")
    #expect(h.exchange("JOIN #lab", from: guest).commands == ["473"])
  }

  // MARK: Bots

  @Test func botAccountPostsToNoExternalChannelWithoutJoining() {
    let (h, op) = channelWithOperator()
    #expect(h.channel("#lab").modes.noExternalMessages)
    let bot = h.connect()
    for line in [
      "PASS ingest:tok3n", "NICK ingest", "USER ingest 0 * :Ingest",
      "PRIVMSG #lab :nightly build ok",
    ] {
      h.send(line, from: bot)
    }
    _ = h.accountRequests()
    h.answer(
      .loggedIn(Accounts.summary("ingest", role: .bot), via: .password(stamp: "s1")), for: bot)
    let botCommands = h.messages(for: bot).commands
    #expect(botCommands.contains("001"))
    #expect(!botCommands.contains("404"))
    let toOp = h.messages(for: op)
    #expect(toOp.commands == ["PRIVMSG"])
    #expect(toOp.first?.source == "ingest!ingest@198.51.100.7")
    #expect(h.channel("#lab").members[bot] == nil)
  }

  @Test func userModeBAloneDoesNotBypassNoExternalMessages() {
    let (h, op) = channelWithOperator()
    let dave = h.register(nick: "dave")
    h.send("MODE dave +B", from: dave)
    #expect(h.client(dave).isBot)
    let reply = h.exchange("PRIVMSG #lab :hi", from: dave)
    #expect(reply.commands == ["404"])
    #expect(h.lines(for: op).isEmpty)
  }
}

/// A connection that asks for the nick of an account's client that is online.
@Suite("Accounts: the nick of an online account")
struct AccountOnlineNickTests {
  @Test func loggingInToTheAccountJoinsItsClient() {
    let h = CoreHarness()
    let alice = Accounts.summary("alice")
    let a = h.registerLoggedIn(nick: "alice", as: alice)
    let b = h.startRegistration(nick: "alice")
    #expect(h.core.clientsByNick["alice"] == a)
    h.saslLogin(b, as: alice)
    _ = h.lines(for: b)
    let welcome = h.exchange("CAP END", from: b)
    #expect(welcome.first?.command == "001")
    #expect(welcome.first?.params.first == "alice")
    #expect(h.session(b).client === h.client(a))
  }

  @Test func withoutLoggingInTheNickIsTaken() {
    let h = CoreHarness()
    let a = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    let b = h.startRegistration(nick: "alice")
    let reply = h.exchange("CAP END", from: b)
    #expect(reply.commands == ["433"])
    #expect(!h.session(b).isRegistered)
    #expect(h.core.clientsByNick["alice"] == a)
    #expect(h.exchange("NICK mallory", from: b).first?.command == "001")
  }

  @Test func loggingInToAnotherAccountDoesNotTakeTheNick() {
    let h = CoreHarness()
    h.core.loadAccounts([Accounts.summary("alice"), Accounts.summary("mallory")])
    let a = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    let b = h.startRegistration(nick: "alice")
    h.saslLogin(b, as: Accounts.summary("mallory"))
    _ = h.lines(for: b)
    let reply = h.exchange("CAP END", from: b)
    #expect(reply.commands == ["433"])
    #expect(h.session(b).client !== h.client(a))
    #expect(h.core.clientsByNick["alice"] == a)
  }
}
