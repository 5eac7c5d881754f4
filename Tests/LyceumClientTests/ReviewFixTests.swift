import LyceumClient
import LyceumProtocol
import Testing

/// Defects found in review of the client, each pinned by a test.
@Suite struct ReviewFixTests {
  typealias H = SessionHarness

  @Test func aGapAfterAJoinLineIsFilledFromTheNewestMessageNotTheEvent() {
    var harness = H(SessionConfiguration(nick: "ada", channels: ["#lab"]))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    for line in HistoryTests.batch("b1", "#lab", [1, 2]) { harness.server(line) }
    // The newest line before the drop is an event: its msgid cannot be paged from.
    harness.server("@time=\(H.at(3));msgid=ev3 :bob!b@h JOIN #lab * :Bob")
    harness.record(harness.session.connectionOpened(now: harness.now))
    harness.register()
    #expect(harness.server(":ada!a@h JOIN #lab") == ["CHATHISTORY AFTER #lab msgid=m2 100"])
  }

  @Test func aBufferOfEventsOnlyFillsItsGapFromATime() {
    var harness = H(SessionConfiguration(nick: "ada", channels: ["#lab"]))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    harness.server(":srv BATCH +e chathistory #lab", ":srv BATCH -e")
    harness.server("@time=\(H.at(3));msgid=ev3 :bob!b@h JOIN #lab * :Bob")
    harness.record(harness.session.connectionOpened(now: harness.now))
    harness.register()
    let sent = harness.server(":ada!a@h JOIN #lab")
    #expect(sent == ["CHATHISTORY AFTER #lab timestamp=\(formatServerTime(1_764_000_002_999)) 100"])
  }

  @Test func lineBreaksInTextBecomeSeparateMessagesNeverCommands() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    let sent = harness.type("/msg #lab first\r\nQUIT :injected\nthird")
    #expect(sent.count == 3)
    #expect(sent.allSatisfy { $0.contains(" PRIVMSG #lab :") })
    #expect(sent[1].hasSuffix("PRIVMSG #lab :QUIT :injected"))
    #expect(!sent.contains { $0.contains("\n") || $0.contains("\r") })
  }

  @Test func aLongMessageIsCutAtCharacterBoundariesUnderTheLineLimit() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    let text = String(repeating: "日本語のテキスト ", count: 80)  // about 1 900 bytes
    let sent = harness.type("/msg #lab \(text)").filter { $0.contains(" PRIVMSG ") }
    #expect(sent.count >= 4, "\(sent.count)")
    for line in sent { #expect(line.utf8.count <= 510, "\(line.utf8.count)") }
    let rebuilt = sent.map { String($0.split(separator: ":", maxSplits: 1).last ?? "") }.joined()
    #expect(rebuilt == text, "\(rebuilt.count) vs \(text.count)")
  }

  @Test func aSCRAMAbortStillEndsCapabilityNegotiation() {
    var harness = H(
      SessionConfiguration(nick: "ada", login: .scram(account: "ada", password: "pw")))
    harness.server(":srv CAP * LS :sasl", ":srv CAP ada ACK :sasl", "AUTHENTICATE +")
    let sent = harness.server("AUTHENTICATE bm90LXNjcmFt")  // not a SCRAM server-first
    #expect(sent == ["AUTHENTICATE *", "CAP END"])
  }

  @Test func theMechanismListIsNotTakenForTheFailure() {
    var harness = H(
      SessionConfiguration(nick: "ada", login: .plain(account: "ada", secret: "pw")))
    harness.server(":srv CAP * LS :sasl", ":srv CAP ada ACK :sasl", "AUTHENTICATE +")
    #expect(harness.server(":srv 908 ada PLAIN,EXTERNAL :are available SASL mechanisms") == [])
    #expect(harness.server(":srv 904 ada :SASL authentication failed") == ["CAP END"])
    #expect(harness.events.contains(.loginFailed(reason: "SASL authentication failed")))
  }

  @Test func ourOwnMessagesUnderAnEarlierNickAreNotUnreadMentions() {
    var harness = H(
      SessionConfiguration(nick: "ada", login: .plain(account: "ada", secret: "pw")))
    harness.server(":srv CAP * LS :\(H.allCaps)", ":srv CAP ada ACK :batch server-time sasl")
    harness.server("AUTHENTICATE +", ":srv 900 ada ada!a@h ada :in", ":srv 903 ada :ok")
    harness.server(":srv 001 ada :Welcome", ":ada!a@h JOIN #lab")
    harness.server(
      "@time=\(H.at(1));msgid=x1;account=ada :ada_!a@h PRIVMSG #lab :ada: note to self")
    #expect(harness.buffer("#lab")?.unreadCount == 0)
    #expect(harness.buffer("#lab")?.highlightCount == 0)
  }

  @Test func aFailWithoutATargetEndsEveryHistoryRequest() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    #expect(harness.buffer("#lab")?.history.isLoadingOlder == true)
    harness.server(":srv FAIL CHATHISTORY INVALID_PARAMS LATEST :Bad limit")
    #expect(harness.buffer("#lab")?.history.isLoadingOlder == false)
  }

  @Test func aRefusedNickFallsBackOnceThenGivesUp() {
    var harness = H(SessionConfiguration(nick: "1bad"))
    let first = harness.server(":srv 432 * 1bad :Erroneous nickname")
    #expect(first.count == 1 && first[0].hasPrefix("NICK guest"))
    #expect(harness.server(":srv 432 * guest1 :Erroneous nickname") == [])
    #expect(harness.events.contains(.closedByServer(reason: "nick refused")))
  }

  @Test func debugTracesHideSecrets() {
    #expect(BlockingSessionRunner.redacted("AUTHENTICATE AGFkYQBwdw==") == "AUTHENTICATE ***")
    #expect(BlockingSessionRunner.redacted("AUTHENTICATE PLAIN") == "AUTHENTICATE PLAIN")
    #expect(BlockingSessionRunner.redacted("AUTHENTICATE +") == "AUTHENTICATE +")
    #expect(BlockingSessionRunner.redacted("PASS bot:lyc_secret") == "PASS ***")
    #expect(BlockingSessionRunner.redacted("REGISTER ada * pw") == "REGISTER ada * ***")
    #expect(BlockingSessionRunner.redacted("PRIVMSG #lab :hi") == "PRIVMSG #lab :hi")
  }
}

@Suite struct DirectConversationTests {
  typealias H = SessionHarness

  @Test func aConversationIsNamedByAccountAndSentToTheCurrentNick() {
    var harness = H(SessionConfiguration(nick: "bob"))
    harness.register(
      nick: "bob",
      caps:
        "batch draft/chathistory echo-message labeled-response message-tags account-tag server-time"
    )
    // History names the conversation by account; ada is online as ada_ today.
    harness.server(
      ":srv BATCH +d chathistory ada",
      "@batch=d;time=\(H.at(1));msgid=d1;account=ada :ada!a@h PRIVMSG bob :yesterday",
      ":srv BATCH -d")
    harness.server("@time=\(H.at(2));msgid=d2;account=ada :ada_!a@h PRIVMSG bob :today")
    #expect(harness.buffer("ada")?.lines.map(\.text) == ["yesterday", "today"])
    #expect(harness.buffer("ada_") == nil)
    harness.record(harness.session.activate(BufferKey(target: "ada")))
    let sent = harness.type("hello again")
    #expect(sent.last?.hasSuffix("PRIVMSG ada_ :hello again") == true)
  }
}

@Suite struct HostileServerTests {
  typealias H = SessionHarness

  @Test func aBatchThatNeverEndsIsDroppedNotGrown() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab", ":srv BATCH +x chathistory #lab")
    for index in 0...IRCSession.maximumBatchLines {
      harness.server("@batch=x;msgid=m\(index) :bob!b@h PRIVMSG #lab :flood \(index)")
    }
    // The batch is gone; its lines were not kept, and later lines are handled normally.
    harness.server(":srv BATCH -x", "@msgid=after :bob!b@h PRIVMSG #lab :after")
    #expect(harness.buffer("#lab")?.lines.filter { $0.kind == .message }.map(\.text) == ["after"])
  }
}
