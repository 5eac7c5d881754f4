import LyceumClient
import LyceumProtocol
import Testing

@Suite struct RoomDirectoryTests {
  typealias H = SessionHarness

  func registered() -> SessionHarness {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    return harness
  }

  @Test func theNoticeWhileJoiningIsTheRoomsKindAndDescription() {
    var harness = registered()
    harness.server(
      ":ada!a@h JOIN #optics", ":srv 332 ada #optics :Seminar Friday",
      ":srv NOTICE #optics :[research] Joint optics group (open to: Uppsala*)",
      ":srv 353 ada = #optics :@ada", ":srv 366 ada #optics :End")
    let room = harness.buffer("#optics")
    #expect(room?.roomDescription?.kind == "research")
    #expect(room?.roomDescription?.text == "Joint optics group (open to: Uppsala*)")
    #expect(room?.lines.contains { $0.text.contains("Joint optics") } == false)
    // After the join, a notice from the server is an ordinary line.
    harness.server(":srv NOTICE #optics :Maintenance at noon")
    #expect(harness.buffer("#optics")?.lines.last?.text == "Maintenance at noon")
    #expect(harness.buffer("#optics")?.roomDescription?.kind == "research")
  }

  @Test func aMessageTheServerAsksToNotifyForCountsAsAMention() {
    var harness = registered()
    harness.server(":ada!a@h JOIN #announcements", ":srv 366 ada #announcements :End")
    harness.server(
      "@lyceum.chat/notify=announcement;msgid=a1;time=\(H.at(1)) :root!r@h PRIVMSG #announcements :Library closed on Monday",
      "@msgid=a2;time=\(H.at(2)) :root!r@h PRIVMSG #announcements :Open again Tuesday")
    let lines = harness.buffer("#announcements")!.lines
    #expect(lines.first { $0.msgid == "a1" }?.isHighlight == true)
    #expect(lines.first { $0.msgid == "a2" }?.isHighlight == false)
    #expect(harness.buffer("#announcements")?.highlightCount == 1)
  }

  @Test func slashKnockSendsKnockWithItsReason() {
    var harness = registered()
    #expect(
      harness.type("/knock #partners Erasmus student") == ["KNOCK #partners :Erasmus student"])
    #expect(harness.type("/knock partners") == ["KNOCK #partners"])
    #expect(harness.type("/knock").isEmpty)
  }

  @Test func knockRepliesShowSensibly() {
    var harness = registered()
    harness.server(":srv 473 ada #partners :Cannot join channel (+i)")
    #expect(harness.active.lines.contains { $0.text.contains("/knock #partners") })
    harness.server(":srv 711 ada #partners :Your KNOCK has been delivered.")
    #expect(
      harness.active.lines.last?.text.contains("#partners: Your KNOCK has been delivered") == true)
    harness.server(":srv 713 ada #partners :Channel is open.")
    #expect(harness.active.lines.last?.kind == .error)
    // An operator of the room sees who knocks, as a mention, with how to let them in.
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End")
    harness.server(
      ":srv 710 #lab #lab maria!maria@127.0.0.1 :has asked for an invite (Erasmus student).")
    let knock = harness.buffer("#lab")?.lines.last
    #expect(knock?.sender == "maria" && knock?.isHighlight == true)
    #expect(knock?.text.contains("/invite maria #lab") == true)
  }

  @Test func listSeparatesKindAndDescriptionFromTheTopic() {
    var harness = registered()
    #expect(harness.type("/list research") == ["LIST kind=research"])
    #expect(harness.type("/list >5") == ["LIST >5"])
    harness.server(
      ":srv 321 ada Channel :Users  Name",
      ":srv 322 ada #lobby 4 :[social] Start here: ask anything — Welcome week",
      ":srv 322 ada #optics 2 :[research] Joint optics group (open to: Uppsala*) — Seminar Friday",
      ":srv 322 ada #plain 1 :Reading group — Thursdays", ":srv 323 ada :End of /LIST")
    let lobby = harness.session.directory.first { $0.name == "#lobby" }
    #expect(lobby?.roomDescription?.kind == "social")
    #expect(lobby?.roomDescription?.text == "Start here: ask anything")
    #expect(lobby?.topic == "Welcome week")
    let plain = harness.session.directory.first { $0.name == "#plain" }
    #expect(plain?.roomDescription == nil && plain?.topic == "Reading group — Thursdays")
    let shown = harness.session.buffers[.server]!.lines.map(\.text)
    #expect(shown.contains("  #lobby     4  social    Start here: ask anything — Welcome week"))
    #expect(shown.contains("  #plain     1            Reading group — Thursdays"))
  }

  @Test func descriptionsWithoutAKindOrWithInstitutionsOnlyAreRead() {
    let (open, topic) = RoomDescription.splitListField("(open to: Uppsala*)")
    #expect(open?.kind == nil && open?.text == "(open to: Uppsala*)" && topic.isEmpty)
    let (none, whole) = RoomDescription.splitListField("[not closed")
    #expect(none == nil && whole == "[not closed")
    #expect(RoomDescription("[exchange] ").shown == "[exchange]")
  }
}
