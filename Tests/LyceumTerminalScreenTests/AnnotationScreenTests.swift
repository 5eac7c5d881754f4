import LyceumClient
import LyceumTerminalScreen
import Testing

/// Deleted messages and reaction counts as the message pane shows them.
@Suite struct AnnotationScreenTests {
  static func react(_ nick: String, _ emoji: String, to parent: String, id: String) -> String {
    "@msgid=\(id);+draft/react=\(emoji);+draft/reply=\(parent) :\(nick)!u@h TAGMSG #lab"
  }

  @Test func aDeletedMessageKeepsItsTimeAndSender() {
    var fixture = ScreenFixture()
    fixture.say("bob", "the exam password is swordfish", at: 60, id: "m1")
    fixture.server(":bob!b@h REDACT #lab m1 :wrong channel")
    let lines = fixture.screen()
    #expect(lines.contains { $0.contains("16:01") && $0.contains("bob (message deleted)") })
    #expect(!lines.contains { $0.contains("swordfish") })
  }

  @Test func reactionsShowAsCountsAfterTheMessageInTheRoomAndItsThread() {
    var fixture = ScreenFixture()
    fixture.say("bob", "results are in", at: 60, id: "m1")
    fixture.say("eve", "nice", at: 61, id: "m2", tags: ";+reply=m1")
    fixture.server(
      Self.react("eve", "👍", to: "m1", id: "r1"), Self.react("ada", "👍", to: "m1", id: "r2"),
      Self.react("eve", "👍", to: "m1", id: "r3"), Self.react("bob", "🎉", to: "m2", id: "r4"))
    let room = fixture.screen()
    #expect(room.contains { $0.contains("bob results are in  👍 2  [1 reply · /thread]") })
    _ = fixture.controller.session.openThread(target: "#lab", root: "m1")
    let thread = fixture.screen()
    #expect(thread.contains { $0.contains("results are in  👍 2") })
    #expect(thread.contains { $0.contains("nice  🎉 1") })
  }

  @Test func slashReactAndSlashRedactFromTheInputLine() {
    var fixture = ScreenFixture()
    fixture.say("bob", "results are in", at: 60, id: "m1")
    fixture.say("ada", "thanks", at: 61, id: "m2")
    func send(_ text: String) -> [String] {
      let keys = text.map { Key.character($0) } + [.enter]
      return fixture.controller.handle(keys: keys, now: fixture.now).compactMap {
        if case .send(let line) = $0 { line } else { nil }
      }
    }
    #expect(send("/react 2 👍") == ["@+draft/react=👍;+draft/reply=m1 TAGMSG #lab"])
    #expect(send("/redact") == ["REDACT #lab m2"])
  }
}
