import LyceumClient
import LyceumTerminalScreen
import Testing

/// The search results view on screen: a result's number typed there opens its room scrolled to
/// the message.
@Suite struct SearchScreenTests {
  @Test func typingAResultsNumberOpensItsRoomScrolledToTheMessage() {
    var fixture = ScreenFixture()
    fixture.server(":srv CAP ada NEW :soju.im/search")
    for index in 0..<60 { fixture.say("bob", "line \(index)", at: index, id: "m\(index)") }
    for key in "/search decision".map({ Key.character($0) }) + [.enter] {
      _ = fixture.controller.handle(keys: [key], now: fixture.now)
    }
    let time = formatServerTime(fixture.now + 5000)
    fixture.server(
      ":srv BATCH +s soju.im/search",
      "@batch=s;time=\(time);msgid=m5 :bob!u@h PRIVMSG #lab :line 5",
      ":srv BATCH -s")
    let results = fixture.screen()
    #expect(results.contains { $0.contains("1. ") && $0.contains("#lab <bob> line 5") })

    _ = fixture.controller.handle(keys: [.character("1"), .enter], now: fixture.now)
    let room = fixture.screen()
    #expect(fixture.controller.session.buffers.active.name == "#lab")
    // Scrolled: the result is on screen, the newest lines are not.
    #expect(room.contains { $0.hasSuffix("line 5") || $0.contains("line 5 ") })
    #expect(!room.contains { $0.contains("line 59") })
    #expect(room.contains { $0.contains("scrolled") })
  }
}
