import LyceumClient
import LyceumProtocol
import Testing

@Suite struct RegistrationTests {
  @Test func opensWithCapLsNickUser() {
    let harness = SessionHarness(SessionConfiguration(nick: "ada", realname: "Ada L."))
    #expect(harness.sent == ["CAP LS 302", "NICK ada", "USER ada 0 * :Ada L."])
  }

  @Test func multiLineCapLsIsReadToTheEndBeforeRequesting() {
    var harness = SessionHarness(SessionConfiguration(nick: "ada"))
    #expect(harness.server(":srv CAP * LS * :batch server-time") == [])
    let sent = harness.server(":srv CAP * LS :echo-message unknown-cap")
    #expect(sent == ["CAP REQ :batch echo-message server-time"])
    #expect(harness.server(":srv CAP ada ACK :batch echo-message server-time") == ["CAP END"])
    #expect(harness.session.enabledCapabilities == ["batch", "echo-message", "server-time"])
  }

  @Test func saslPlainSendsBase64CredentialsThenEndsCapOnSuccess() {
    var harness = SessionHarness(
      SessionConfiguration(nick: "ada", login: .plain(account: "ada", secret: "pw")))
    harness.server(":srv CAP * LS :sasl=PLAIN")
    #expect(harness.server(":srv CAP ada ACK :sasl") == ["AUTHENTICATE PLAIN"])
    // "\0ada\0pw" in base64.
    #expect(harness.server("AUTHENTICATE +") == ["AUTHENTICATE AGFkYQBwdw=="])
    harness.server(":srv 900 ada ada!ada@h ada :You are now logged in as ada")
    #expect(harness.server(":srv 903 ada :SASL authentication successful") == ["CAP END"])
    #expect(harness.events.contains(.loggedIn(account: "ada")))
    #expect(harness.session.account == "ada")
  }

  @Test func saslFailureIsReportedAndRegistrationGoesOn() {
    var harness = SessionHarness(
      SessionConfiguration(nick: "ada", login: .plain(account: "ada", secret: "wrong")))
    harness.server(":srv CAP * LS :sasl")
    harness.server(":srv CAP ada ACK :sasl", "AUTHENTICATE +")
    #expect(harness.server(":srv 904 ada :SASL authentication failed") == ["CAP END"])
    #expect(harness.events.contains(.loginFailed(reason: "SASL authentication failed")))
  }

  @Test func longSaslPayloadIsSplitIn400ByteChunksWithPlusAfterAnExactMultiple() {
    // "\0a\0" + 300 bytes of secret = 303 bytes -> 404 base64 characters: 400 + 4.
    var harness = SessionHarness(
      SessionConfiguration(
        nick: "a", login: .plain(account: "a", secret: String(repeating: "x", count: 300))))
    harness.server(":srv CAP * LS :sasl", ":srv CAP a ACK :sasl")
    let sent = harness.server("AUTHENTICATE +")
    #expect(sent.count == 2)
    #expect(sent[0].count == "AUTHENTICATE ".count + 400)
    // 300 bytes exactly -> 400 characters, then a lone "+".
    var exact = SessionHarness(
      SessionConfiguration(
        nick: "a", login: .plain(account: "a", secret: String(repeating: "x", count: 297))))
    exact.server(":srv CAP * LS :sasl", ":srv CAP a ACK :sasl")
    let exactSent = exact.server("AUTHENTICATE +")
    #expect(exactSent.count == 2)
    #expect(exactSent.last == "AUTHENTICATE +")
  }

  @Test func registerCreatesTheAccountBeforeCapEnd() {
    var harness = SessionHarness(
      SessionConfiguration(
        nick: "ada", registration: AccountRegistration(account: "ada", password: "pw-long")))
    #expect(
      harness.server(":srv CAP * LS :draft/account-registration") == ["REGISTER ada * pw-long"])
    #expect(
      harness.server(":srv REGISTER SUCCESS ada :Account created") == ["CAP END"])
    #expect(harness.session.account == "ada")
    // A reconnect logs in to the new account instead of registering it again.
    harness.record(harness.session.connectionOpened(now: harness.now))
    harness.server(":srv CAP * LS :sasl")
    #expect(harness.server(":srv CAP ada ACK :sasl") == ["AUTHENTICATE PLAIN"])
  }

  @Test func takenNickBeforeRegistrationTriesAnother() {
    var harness = SessionHarness(SessionConfiguration(nick: "ada"))
    #expect(harness.server(":srv 433 * ada :Nickname is already in use") == ["NICK ada_"])
    harness.server(":srv 001 ada_ :Welcome")
    #expect(harness.session.nick == "ada_")
    #expect(harness.events.contains(.registered(nick: "ada_")))
  }

  @Test func pingIsAnswered() {
    var harness = SessionHarness(SessionConfiguration(nick: "ada"))
    #expect(harness.server("PING :abc") == ["PONG :abc"])
  }

  @Test func nonsenseFromTheServerNeverCrashes() {
    var harness = SessionHarness(SessionConfiguration(nick: "ada"))
    harness.register()
    let junk = [
      "", ":", "::", "@", "@;; :x", "BATCH", "BATCH -", "BATCH +", "BATCH -nope",
      ":srv 353", ":srv 322 ada", ":srv 005", "PRIVMSG", ":x!y@z PRIVMSG", ":x!y@z JOIN",
      ":x!y@z MODE #c +o", ":x!y@z KICK #c", "MARKREAD #c timestamp=garbage", ":srv CAP",
      "AUTHENTICATE", ":srv 001", "@batch=zz :x!y@z PRIVMSG #c :hi", "FAIL", "\u{1}\u{2}",
      ":srv THREADS #c", "@time=notatime :x!y@z PRIVMSG #c :still shown",
    ]
    for line in junk { harness.server(line) }
    #expect(harness.buffer("#c")?.lines.last?.text == "still shown")
  }
}
