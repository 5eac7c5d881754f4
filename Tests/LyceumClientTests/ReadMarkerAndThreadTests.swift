import LyceumClient
import LyceumProtocol
import Testing

@Suite struct ReadMarkerTests {
  typealias H = SessionHarness

  @Test func unreadCountsStartFromTheReadMarkerSoAReconnectDoesNotMakeOldLinesNew() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab", "MARKREAD #lab timestamp=\(H.at(2))")
    for line in HistoryTests.batch("b1", "#lab", [1, 2, 3, 4]) { harness.server(line) }
    harness.server("@time=\(H.at(5));msgid=m5 :bob!b@h PRIVMSG #lab :ada: are you there?")
    let lab = harness.buffer("#lab")!
    #expect(lab.unreadCount == 3)
    #expect(lab.highlightCount == 1)
  }

  @Test func aMarkerFromAnotherDeviceClearsTheCounts() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    for line in HistoryTests.batch("b1", "#lab", [1, 2, 3]) { harness.server(line) }
    #expect(harness.buffer("#lab")?.unreadCount == 3)
    harness.server(":srv MARKREAD #lab timestamp=\(H.at(3))")
    #expect(harness.buffer("#lab")?.unreadCount == 0)
    // An older marker never moves it back.
    harness.server(":srv MARKREAD #lab timestamp=\(H.at(1))")
    #expect(harness.buffer("#lab")?.readMarker == 1_764_000_003_000)
  }

  @Test func readingTheActiveBufferSendsMarkReadOnce() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    for line in HistoryTests.batch("b1", "#lab", [1, 2]) { harness.server(line) }
    harness.record(harness.session.markActiveRead())
    #expect(harness.sent.last == "MARKREAD #lab timestamp=\(H.at(2))")
    let count = harness.sent.count
    harness.record(harness.session.markActiveRead())
    #expect(harness.sent.count == count)
    #expect(harness.buffer("#lab")?.unreadCount == 0)
  }
}

@Suite struct ThreadTests {
  typealias H = SessionHarness

  @Test func repliesAreCountedUnderTheirRootAndChainsFlatten() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    harness.server(
      "@time=\(H.at(1));msgid=root :bob!b@h PRIVMSG #lab :new draft",
      "@time=\(H.at(2));msgid=r1;+reply=root :eve!e@h PRIVMSG #lab :looks good",
      "@time=\(H.at(3));msgid=r2;+reply=r1 :bob!b@h PRIVMSG #lab :thanks")
    let lab = harness.buffer("#lab")!
    #expect(lab.threads["root"]?.replyCount == 2)
    #expect(lab.threads["root"]?.lastActivity == 1_764_000_003_000)
    #expect(lab.line(msgid: "r2")?.threadRoot == "root")
  }

  @Test func threadViewFetchesTheThreadAndRepliesInIt() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    harness.server("@time=\(H.at(1));msgid=root :bob!b@h PRIVMSG #lab :new draft")
    let sent = harness.type("/thread 1")
    #expect(sent == ["THREAD #lab root LATEST * 100"])
    #expect(harness.session.buffers.activeKey == BufferKey(target: "#lab", root: "root"))
    harness.server(
      ":srv BATCH +t lyceum.chat/thread #lab root",
      "@batch=t;time=\(H.at(1));msgid=root :bob!b@h PRIVMSG #lab :new draft",
      "@batch=t;time=\(H.at(2));msgid=r1;+reply=root :eve!e@h PRIVMSG #lab :looks good",
      ":srv BATCH -t")
    #expect(harness.active.lines.map(\.text) == ["new draft", "looks good"])
    let reply = harness.type("agreed")
    #expect(reply.count == 1)
    #expect(reply[0].hasPrefix("@label=") && reply[0].contains(";+reply=root "))
    #expect(reply[0].hasSuffix("PRIVMSG #lab :agreed"))
    // The echo lands in the room (counted) and in the open thread view.
    harness.server("@time=\(H.at(4));msgid=r2;+reply=root :ada!a@h PRIVMSG #lab :agreed")
    #expect(harness.active.lines.last?.text == "agreed")
    #expect(harness.buffer("#lab")?.threads["root"]?.replyCount == 1)
  }

  @Test func threadsListingIsNumberedForSlashThread() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    #expect(harness.type("/threads") == ["THREADS #lab * 20"])
    harness.server(
      ":srv BATCH +l lyceum.chat/threads #lab",
      "@batch=l :srv THREADS #lab abc \(H.at(1)) bob 4 \(H.at(9)) bob,eve :budget",
      ":srv BATCH -l")
    #expect(harness.active.lines.last?.text.contains("4 replies") == true)
    #expect(harness.type("/thread 1") == ["THREAD #lab abc LATEST * 100"])
  }

  @Test func postLabelsAreAnsweredByTheEchoOrARefusal() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    let sent = harness.type("/msg #lab hello")
    #expect(sent.last?.hasPrefix("@label=l1 PRIVMSG #lab :hello") == true)
    harness.server("@label=l1;msgid=x :ada!a@h PRIVMSG #lab :hello")
    #expect(harness.events.contains(.labelAnswered(label: "l1", accepted: true, reason: "")))
    harness.type("/msg #nope hi")
    harness.server("@label=l2 :srv 403 ada #nope :No such channel")
    #expect(
      harness.events.contains(
        .labelAnswered(label: "l2", accepted: false, reason: "No such channel")))
  }
}

@Suite struct ProfileTests {
  typealias H = SessionHarness

  @Test func aNewSpeakerIsLookedUpOnceAndQuietly() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    let sent = harness.server("@msgid=m1 :bob!b@h PRIVMSG #lab :hello")
    #expect(sent == ["WHOIS bob"])
    #expect(harness.server("@msgid=m2 :bob!b@h PRIVMSG #lab :again") == [])
    let before = harness.session.buffers.active.lines.count
    harness.server(
      ":srv 311 ada bob b h * :Bob", ":srv 330 ada bob bob :is logged in as",
      ":srv 320 ada bob :is a researcher at Uppsala University (Bob B.)",
      ":srv 318 ada bob :End of /WHOIS list")
    #expect(harness.session.profiles["bob"] == "researcher at Uppsala University")
    #expect(harness.session.buffers.active.lines.count == before)
    #expect(
      harness.session.buffers[.server]?.lines.contains { $0.text.contains("Uppsala") } == false)
    // Asked by the user, the same reply is shown.
    harness.type("/whois bob")
    harness.server(":srv 320 ada bob :is a researcher at Uppsala University (Bob B.)")
    #expect(harness.session.buffers.active.lines.last?.text.contains("Uppsala") == true)
  }
}
