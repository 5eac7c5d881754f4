import LyceumProtocol
import Testing

@testable import LyceumCore

/// Account flows at their edges: aborted and interleaved exchanges, connections that go away
/// while the account service works, bans that apply to members already in a channel.
@Suite("Accounts: edge cases")
struct AccountEdgeTests {
  /// SASL 3.1: a client that completes registration in the middle of an exchange gets `906`.
  @Test func registrationDuringExchangeAbortsIt() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    _ = h.lines(for: id)
    let reply = h.exchange("CAP END", from: id)
    #expect(Array(reply.commands.prefix(2)) == ["906", "001"])
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
  }

  /// A client that pipelines `CAP END` behind its response and then gives up waiting
  /// (`AUTHENTICATE *`) still registers: the held `CAP END` runs after the abort.
  @Test func abortWhileAwaitingServiceReleasesHeldMessages() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    h.send("CAP END", from: id)
    _ = h.accountRequests()
    _ = h.lines(for: id)
    let reply = h.exchange("AUTHENTICATE *", from: id)
    #expect(Array(reply.commands.prefix(2)) == ["906", "001"])
    #expect(h.session(id).isRegistered)
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
    // The service's late answer changes nothing.
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    #expect(h.lines(for: id).isEmpty)
    #expect(h.client(id).account == nil)
  }

  /// `AUTHENTICATE` sent while a `PASS` login is outstanding waits its turn like any other
  /// command instead of taking over the outstanding request.
  @Test func authenticateWaitsBehindPasswordLogin() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("CAP LS 302", from: id)
    _ = h.lines(for: id)
    h.send("PASS alice:secret", from: id)
    h.send("CAP REQ sasl", from: id)
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    #expect(h.lines(for: id).isEmpty)
    #expect(h.accountRequests().count == 1)
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    let reply = h.messages(for: id)
    // Logged in by PASS; the replayed SASL attempt is refused as already authenticated.
    #expect(reply.commands.contains("900"))
    #expect(reply.commands.contains("907"))
    #expect(!reply.commands.contains("903"))
    #expect(h.client(id).account?.name == "alice")
    #expect(h.accountRequests().isEmpty)
  }

  @Test func closingMidExchangeTellsServiceAndLateAnswerIsIgnored() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    _ = h.accountRequests()
    h.core.connectionClosed(id, reason: "Connection reset")
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    #expect(h.core.clients.isEmpty)
    #expect(h.core.sessions.isEmpty)
  }

  @Test func floodWhileWaitingForLoginDisconnects() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("PASS alice:secret", from: id)
    for index in 0...IRCServerCore.maxDeferredMessages {
      h.send("PING \(index)", from: id)
    }
    #expect(h.closed == [id])
    #expect(h.messages(for: id).commands == ["ERROR"])
  }

  @Test func registerBeforeServerPasswordIsRefused() {
    let h = CoreHarness { $0.password = "hunter2" }
    let id = h.connect()
    h.send("NICK carol", from: id)
    let reply = h.exchange("REGISTER * * pa55word", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(
      Array(reply[0].params.prefix(3)) == ["REGISTER", "TEMPORARILY_UNAVAILABLE", "carol"])
    #expect(h.accountRequests().isEmpty)
    h.send("PASS hunter2", from: id)
    h.send("REGISTER * * pa55word", from: id)
    #expect(h.accountRequests().count == 1)
  }

  @Test func accountBanSilencesAMemberAlreadyInside() {
    let h = CoreHarness()
    let op = h.register(nick: "op")
    h.send("JOIN #lab", from: op)
    let mallory = h.registerLoggedIn(nick: "mal", as: Accounts.summary("mallory"))
    h.send("JOIN #lab", from: mallory)
    h.send("MODE #lab +b $a:MALLORY", from: op)
    _ = h.lines(for: op)
    #expect(h.exchange("PRIVMSG #lab :hi", from: mallory).commands == ["404"])
    #expect(h.lines(for: op).isEmpty)
  }

  @Test func nickChangeOnOneSessionReachesTheOther() {
    let h = CoreHarness()
    let alice = Accounts.summary("alice")
    let a = h.registerLoggedIn(nick: "alice", as: alice)
    let b = h.registerLoggedIn(nick: "alice_", as: alice)
    #expect(h.session(b).client === h.client(a))
    h.send("NICK alice_away", from: b)
    let toA = h.messages(for: a)
    #expect(toA.commands == ["NICK"])
    #expect(toA.first?.params == ["alice_away"])
    #expect(h.client(a).nick == "alice_away")
  }

  @Test func banOnInstitutionKeepsItsMembersOut() {
    let h = CoreHarness()
    let op = h.register(nick: "op")
    h.send("JOIN #lab", from: op)
    h.send("MODE #lab +b $i:*Salamanca", from: op)
    let ana = h.registerLoggedIn(
      nick: "ana", as: Accounts.summary("ana", institution: "Universidad de Salamanca"))
    #expect(h.exchange("JOIN #lab", from: ana).commands == ["474"])
    let ben = h.registerLoggedIn(nick: "ben", as: Accounts.summary("ben", institution: "MIT"))
    #expect(h.exchange("JOIN #lab", from: ben).first?.command == "JOIN")
  }
}

/// More account replies: late bot logins, VERIFY and REGISTER corner cases, ban removal.
@Suite("Accounts: more edge cases")
struct AccountMoreEdgeTests {
  @Test func botLoginAfterRegistrationAnnouncesModeB() {
    let h = CoreHarness()
    let bot = h.register(nick: "ingest", caps: ["sasl"])
    h.saslLogin(bot, as: Accounts.summary("ingest", role: .bot))
    let reply = h.messages(for: bot)
    #expect(reply.with("MODE").map(\.params) == [["ingest", "+B"]])
    #expect(reply.commands.contains("903"))
    #expect(h.client(bot).isBot)
  }

  @Test func verifyWhenLoggedInIsAlreadyAuthenticated() {
    let h = CoreHarness()
    let id = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    let reply = h.exchange("VERIFY alice 123456", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(Array(reply[0].params.prefix(3)) == ["VERIFY", "ALREADY_AUTHENTICATED", "alice"])
  }

  @Test func throttledRegisterIsTemporarilyUnavailable() {
    let h = CoreHarness()
    let id = h.register(nick: "carol")
    h.send("REGISTER * * pa55word", from: id)
    h.answer(.throttled(retryAfterSeconds: 120), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["FAIL"])
    #expect(
      Array(reply[0].params.prefix(3)) == ["REGISTER", "TEMPORARILY_UNAVAILABLE", "carol"])
    #expect(reply[0].params.last?.contains("120 seconds") == true)
  }

  @Test func removingAnAccountBanLetsTheAccountBackIn() {
    let h = CoreHarness()
    let op = h.register(nick: "op")
    h.send("JOIN #lab", from: op)
    h.send("MODE #lab +b $a:mallory", from: op)
    _ = h.lines(for: op)
    #expect(
      h.exchange("MODE #lab -b $a:mallory", from: op).first?.params == ["#lab", "-b", "$a:mallory"])
    #expect(h.channel("#lab").bans.isEmpty)
    let mallory = h.registerLoggedIn(nick: "mal", as: Accounts.summary("mallory"))
    #expect(h.exchange("JOIN #lab", from: mallory).first?.command == "JOIN")
  }

  @Test func pipelinedSASLClientRegistersAfterTheAnswer() {
    let h = CoreHarness()
    let id = h.connect()
    for line in [
      "CAP LS 302", "CAP REQ :sasl", "NICK alice", "USER alice 0 * :Alice", "AUTHENTICATE PLAIN",
      "AUTHENTICATE \(Accounts.plain("alice"))", "CAP END", "JOIN #lab",
    ] {
      h.send(line, from: id)
    }
    _ = h.lines(for: id)
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    let reply = h.messages(for: id)
    #expect(Array(reply.commands.prefix(3)) == ["900", "903", "001"])
    #expect(reply.with("JOIN").first?.params == ["#lab"])
  }
}

/// The account service answers one connection's requests in order; an answer to a SASL step
/// that was aborted while the service worked on it is dropped, not taken for the next one.
@Suite("Stale account answers")
struct StaleAccountAnswerTests {
  @Test func anAbortedStepsAnswerIsNotTakenForTheRegistersAnswer() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    h.send("AUTHENTICATE *", from: id)
    h.send("REGISTER * * a-long-password", from: id)
    _ = h.accountRequests()
    _ = h.lines(for: id)
    h.answer(
      .loggedIn(AccountSummary(name: "alice", foldedName: "alice"), via: .password(stamp: "s1")),
      for: id)
    #expect(h.lines(for: id).isEmpty)
    #expect(h.client(id).account == nil)
    h.answer(
      .registered(AccountSummary(name: "alice", foldedName: "alice"), via: .password(stamp: "s1")),
      for: id)
    #expect(
      h.messages(for: id).contains { $0.command == "REGISTER" && $0.params.first == "SUCCESS" })
  }

  @Test func theExchangesNextLineWaitsForTheAnswerInsteadOf904() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("n,,n=alice,r=abc".utf8)))", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("early".utf8)))", from: id)
    #expect(!h.lines(for: id).contains { $0.contains(" 904 ") })
  }
}
