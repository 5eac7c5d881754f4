import LyceumProtocol
import Testing

@testable import LyceumCore

/// `PASS account:secret` logins and `REGISTER`/`VERIFY` (IRCv3 draft/account-registration),
/// with the account service's answers scripted.
@Suite("Accounts: PASS and REGISTER")
struct AccountPassRegisterTests {
  // MARK: PASS

  @Test func passWithColonRaisesPasswordLogin() {
    let h = CoreHarness()
    let id = h.connect()
    #expect(h.exchange("PASS alice:s3cret:x", from: id).isEmpty)
    #expect(
      h.accountRequests() == [
        .passwordLogin(
          connection: id.raw, ip: "198.51.100.7", account: "alice", secret: "s3cret:x")
      ])
  }

  @Test func pipelinedBotRegistersJoinsAndPostsInOrder() {
    let h = CoreHarness()
    let peer = h.register(nick: "peer")
    h.send("JOIN #lab", from: peer)
    _ = h.lines(for: peer)
    let bot = h.connect()
    for line in [
      "PASS ingest:tok3n", "NICK ingest", "USER ingest 0 * :Ingest", "JOIN #lab",
      "PRIVMSG #lab :results are in",
    ] {
      h.send(line, from: bot)
    }
    #expect(h.lines(for: bot).isEmpty)
    #expect(h.lines(for: peer).isEmpty)
    #expect(h.accountRequests().count == 1)
    h.answer(.loggedIn(Accounts.summary("ingest"), via: .password(stamp: "s1")), for: bot)
    let botCommands = h.messages(for: bot).commands
    #expect(botCommands.contains("001"))
    #expect(botCommands.contains("JOIN"))
    #expect(!botCommands.contains("404"))
    #expect(!botCommands.contains("451"))
    let seen = h.messages(for: peer)
    #expect(seen.commands == ["JOIN", "PRIVMSG"])
    #expect(seen.last?.source == "ingest!ingest@198.51.100.7")
    #expect(seen.last?.params == ["#lab", "results are in"])
    #expect(h.client(bot).account?.name == "ingest")
  }

  @Test func wrongPasswordSends464AndCloses() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("PASS alice:wrong", from: id)
    h.send("NICK alice", from: id)
    h.send("USER alice 0 * :Alice", from: id)
    h.answer(.authenticationFailed, for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["464", "ERROR"])
    #expect(h.closed == [id])
    #expect(h.core.sessions[id] == nil)
  }

  @Test func throttledPasswordLoginCloses() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("PASS alice:wrong", from: id)
    h.answer(.throttled(retryAfterSeconds: 60), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["464", "ERROR"])
    #expect(reply.first?.params.last?.contains("60 seconds") == true)
    #expect(h.closed == [id])
  }

  @Test func serverPasswordTakesPrecedence() {
    let h = CoreHarness { $0.password = "hunter2" }
    let good = h.connect()
    h.send("PASS hunter2", from: good)
    h.send("NICK alice", from: good)
    h.send("USER alice 0 * :Alice", from: good)
    #expect(h.messages(for: good).commands.first == "001")
    let bad = h.connect()
    h.send("PASS alice:secret", from: bad)
    h.send("NICK bob", from: bad)
    h.send("USER bob 0 * :Bob", from: bad)
    #expect(h.accountRequests().isEmpty)
    #expect(h.messages(for: bad).commands == ["464", "ERROR"])
    #expect(h.closed == [bad])
  }

  // MARK: REGISTER

  @Test func registerStarUsesTheNick() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("CAP LS 302", from: id)
    h.send("NICK carol", from: id)
    #expect(h.exchange("REGISTER * * pa55word", from: id).isEmpty)
    #expect(
      h.accountRequests() == [
        .register(
          connection: id.raw, ip: "198.51.100.7", account: "carol", email: nil,
          password: "pa55word")
      ])
  }

  @Test func registerCustomNameWithEmail() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("NICK carol", from: id)
    h.send("REGISTER carol_lab carol@example.org pa55word", from: id)
    #expect(
      h.accountRequests() == [
        .register(
          connection: id.raw, ip: "198.51.100.7", account: "carol_lab",
          email: "carol@example.org", password: "pa55word")
      ])
  }

  @Test func registerWithoutNickNeedsNick() {
    let h = CoreHarness()
    let id = h.connect()
    let reply = h.exchange("REGISTER * * pa55word", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(Array(reply[0].params.prefix(3)) == ["REGISTER", "NEED_NICK", "*"])
    #expect(h.accountRequests().isEmpty)
  }

  @Test func registerWhenLoggedInFails() {
    let h = CoreHarness()
    let id = h.registerLoggedIn(nick: "alice", as: Accounts.summary("alice"))
    let reply = h.exchange("REGISTER * * pa55word", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(Array(reply[0].params.prefix(3)) == ["REGISTER", "ALREADY_AUTHENTICATED", "alice"])
    #expect(h.accountRequests().isEmpty)
  }

  @Test func registerWhenClosedIsTemporarilyUnavailable() {
    let h = CoreHarness { $0.accountRegistrationOpen = false }
    let id = h.register(nick: "carol")
    let reply = h.exchange("REGISTER * * pa55word", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(
      Array(reply[0].params.prefix(3)) == ["REGISTER", "TEMPORARILY_UNAVAILABLE", "carol"])
    #expect(h.accountRequests().isEmpty)
  }

  @Test func registerSuccessLogsInBeforeConnect() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("CAP LS 302", from: id)
    h.send("NICK carol", from: id)
    h.send("USER carol 0 * :Carol", from: id)
    h.send("REGISTER * carol@example.org pa55word", from: id)
    _ = h.lines(for: id)
    let carol = Accounts.summary("carol", institution: "Universidad de Salamanca")
    h.answer(.registered(carol, via: .password(stamp: "s1")), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["REGISTER", "900"])
    #expect(reply[0].source == "irc.test")
    #expect(Array(reply[0].params.prefix(2)) == ["SUCCESS", "carol"])
    #expect(reply[0].params.count == 3)
    #expect(reply[1].params[2] == "carol")
    #expect(h.core.accounts["carol"] == carol)
    #expect(h.client(id).account == carol)
    #expect(h.messages(for: id).isEmpty)
    #expect(h.exchange("CAP END", from: id).commands.first == "001")
  }

  @Test func registerSuccessAfterConnectionRegistration() {
    let h = CoreHarness()
    let id = h.register(nick: "dave")
    h.send("REGISTER * * pa55word", from: id)
    h.answer(.registered(Accounts.summary("dave"), via: .password(stamp: "s1")), for: id)
    #expect(h.messages(for: id).commands == ["REGISTER", "900"])
    #expect(h.core.accounts["dave"] != nil)
  }

  @Test func registerFailureIsStandardReply() {
    let h = CoreHarness()
    let id = h.register(nick: "carol")
    h.send("REGISTER * * pa55word", from: id)
    h.answer(
      .registrationFailed(code: "ACCOUNT_EXISTS", description: "Account already exists"), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["FAIL"])
    #expect(reply[0].params == ["REGISTER", "ACCOUNT_EXISTS", "carol", "Account already exists"])
    #expect(h.core.accounts["carol"] == nil)
    #expect(h.client(id).account == nil)
  }

  @Test func verifyHasNoCodeToCheck() {
    let h = CoreHarness()
    let id = h.register(nick: "carol")
    let reply = h.exchange("VERIFY carol 123456", from: id)
    #expect(reply.commands == ["FAIL"])
    #expect(Array(reply[0].params.prefix(3)) == ["VERIFY", "INVALID_CODE", "carol"])
  }
}
