import LyceumClient
import LyceumTerminalScreen
import Testing

@Suite struct RoomScreenTests {
  @Test func theTopicLineShowsKindDescriptionAndTopic() {
    var fixture = ScreenFixture()
    fixture.server(
      ":ada!a@h JOIN #optics", ":srv 332 ada #optics :Seminar Friday",
      ":srv NOTICE #optics :[research] Joint optics group", ":srv 366 ada #optics :End")
    _ = fixture.controller.session.activate(BufferKey(target: "#optics"))
    let top = fixture.screen()[0]
    #expect(top.contains("#optics [research] Joint optics group — Seminar Friday"))
  }

  @Test func anAnnouncementElsewhereCountsAsAMentionInTheBufferList() {
    var fixture = ScreenFixture()
    fixture.server(":ada!a@h JOIN #announcements", ":srv 366 ada #announcements :End")
    _ = fixture.controller.session.activate(BufferKey(target: "#lab"))
    fixture.server(
      "@lyceum.chat/notify=announcement;msgid=a1 :root!r@h PRIVMSG #announcements :Closed Monday")
    let lines = fixture.screen()
    #expect(lines.contains { $0.contains("#announcem") && $0.contains("1!1") })
    #expect(lines[18].contains("mentions in 1"))
  }
}
