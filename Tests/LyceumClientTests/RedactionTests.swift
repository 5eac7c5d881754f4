import LyceumClient
import LyceumProtocol
import Testing

@Suite struct RedactionTests {
  typealias H = SessionHarness
  static let caps = H.allCaps + " draft/message-redaction draft/event-playback"

  func joined() -> SessionHarness {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register(caps: Self.caps)
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End")
    harness.server(
      "@time=\(H.at(1));msgid=m1 :bob!b@h PRIVMSG #lab :the exam password is swordfish",
      "@time=\(H.at(2));msgid=m2 :ada!a@h PRIVMSG #lab :mine, first",
      "@time=\(H.at(3));msgid=m3 :ada!a@h PRIVMSG #lab :mine, second",
      "@time=\(H.at(4));msgid=m4 :bob!b@h PRIVMSG #lab :bob again")
    return harness
  }

  func line(_ harness: SessionHarness, _ msgid: String) -> BufferLine? {
    harness.buffer("#lab")?.line(msgid: msgid)
  }

  @Test func asksForRedactionAndEventPlayback() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.server(":srv CAP * LS :\(Self.caps)")
    #expect(harness.sent.last?.contains("draft/message-redaction") == true)
    #expect(harness.sent.last?.contains("draft/event-playback") == true)
  }

  @Test func aRedactReplacesTheTextAndKeepsSenderAndTime() {
    var harness = joined()
    harness.server("@msgid=r1 :bob!b@h REDACT #lab m1 :wrong channel")
    let redacted = line(harness, "m1")
    #expect(redacted?.text == ChatBuffer.deletedText && redacted?.isRedacted == true)
    #expect(redacted?.sender == "bob" && redacted?.time == 1_764_000_001_000)
    #expect(line(harness, "m4")?.text == "bob again")
  }

  @Test func aRedactReachesAnOpenThreadView() {
    var harness = joined()
    harness.server("@time=\(H.at(5));msgid=t1;+reply=m1 :eve!e@h PRIVMSG #lab :a reply")
    harness.record(harness.session.openThread(target: "#lab", root: "m1"))
    harness.server(":eve!e@h REDACT #lab t1")
    let thread = harness.session.buffers[BufferKey(target: "#lab", root: "m1")]
    #expect(thread?.line(msgid: "t1")?.isRedacted == true)
    #expect(line(harness, "t1")?.isRedacted == true)
  }

  @Test func aRedactInAHistoryPageApplies() {
    var harness = joined()
    harness.server(
      ":srv BATCH +h chathistory #lab",
      "@batch=h;time=\(H.at(9));msgid=r9 :bob!b@h REDACT #lab m4", ":srv BATCH -h")
    #expect(line(harness, "m4")?.isRedacted == true)
  }

  @Test func slashRedactDeletesOurLastMessageOrANumberedOne() {
    var harness = joined()
    #expect(harness.type("/redact") == ["REDACT #lab m3"])
    #expect(harness.type("/redact 3 typo") == ["REDACT #lab m2 :typo"])
    #expect(harness.type("/redact oops, wrong room") == ["REDACT #lab m3 :oops, wrong room"])
    // Once ours is deleted, the one before it is "the last".
    harness.server(":ada!a@h REDACT #lab m3")
    #expect(harness.type("/redact") == ["REDACT #lab m2"])
    #expect(harness.type("/redact 9").isEmpty)
  }

  @Test func withoutAMessageOfOursSlashRedactSaysSo() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register(caps: Self.caps)
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End")
    harness.server("@time=\(H.at(1));msgid=m1 :bob!b@h PRIVMSG #lab :hi")
    #expect(harness.type("/redact").isEmpty)
    #expect(harness.active.lines.contains { $0.kind == .error && $0.text.contains("yours") })
  }

  @Test func aFailRedactShowsAsAnErrorInTheRoom() {
    var harness = joined()
    harness.server(
      ":srv FAIL REDACT REDACT_FORBIDDEN #lab m1 :You are not authorised to delete this message")
    let lines = harness.buffer("#lab")?.lines ?? []
    #expect(lines.contains { $0.kind == .error && $0.text.contains("not authorised") })
  }

  @Test func aPageFullOfEventsIsNotTheStartOfHistory() {
    var harness = H(SessionConfiguration(nick: "ada", historyPageSize: 3))
    harness.register(caps: Self.caps)
    harness.server(":ada!a@h JOIN #lab")
    harness.server(
      ":srv BATCH +h chathistory #lab",
      "@batch=h;time=\(H.at(1));msgid=j1 :eve!e@h JOIN #lab",
      "@batch=h;time=\(H.at(2));msgid=j2 :fay!f@h JOIN #lab",
      "@batch=h;time=\(H.at(3));msgid=m3 :eve!e@h PRIVMSG #lab :hello", ":srv BATCH -h")
    #expect(harness.buffer("#lab")?.history.reachedStart == false)
  }
}

@Suite struct EventPlaybackPagingTests {
  typealias H = SessionHarness

  @Test func pagingBackAndGapFillGoOnFromEventsToo() {
    var harness = H(SessionConfiguration(nick: "ada", historyPageSize: 2))
    harness.register(caps: RedactionTests.caps)
    harness.server(":ada!a@h JOIN #lab")
    // A full page of events only: the next page starts before its first entry.
    harness.server(
      ":srv BATCH +h chathistory #lab", "@batch=h;time=\(H.at(1));msgid=j1 :eve!e@h JOIN #lab",
      "@batch=h;time=\(H.at(2));msgid=j2 :fay!f@h JOIN #lab", ":srv BATCH -h")
    harness.record(harness.session.requestOlderHistory())
    #expect(harness.sent.last == "CHATHISTORY BEFORE #lab msgid=j1 2")
    // A gap fill whose full page ends in an event goes on after that event.
    harness.server(
      ":srv BATCH +o chathistory #lab",
      "@batch=o;time=\(H.at(0));msgid=m0 :eve!e@h PRIVMSG #lab :hello", ":srv BATCH -o")
    harness.session.connectionLost(reason: "reset", now: harness.now)
    harness.record(harness.session.connectionOpened(now: harness.now))
    harness.register(caps: RedactionTests.caps)
    harness.server(":ada!a@h JOIN #lab")
    #expect(harness.sent.last == "CHATHISTORY AFTER #lab msgid=m0 2")
    harness.server(
      ":srv BATCH +a chathistory #lab",
      "@batch=a;time=\(H.at(3));msgid=m3 :eve!e@h PRIVMSG #lab :again",
      "@batch=a;time=\(H.at(4));msgid=p4 :eve!e@h PART #lab", ":srv BATCH -a")
    #expect(harness.sent.last == "CHATHISTORY AFTER #lab msgid=p4 2")
  }
}
