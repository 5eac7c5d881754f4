import LyceumClient
import LyceumTerminalScreen
import Testing

@Suite struct ChatControllerTests {
  func sent(_ events: [SessionEvent]) -> [String] {
    events.compactMap { if case .send(let line) = $0 { return line } else { return nil } }
  }

  func typed(_ text: String) -> [Key] { text.map { Key.character($0) } }

  @Test func typingAndEnterSendsToTheRoom() {
    var fixture = ScreenFixture()
    _ = fixture.controller.handle(keys: typed("hello"), now: fixture.now)
    let out = sent(fixture.controller.handle(keys: [.enter], now: fixture.now))
    #expect(out.count == 1 && out[0].hasSuffix("PRIVMSG #lab :hello"))
  }

  @Test func aPastedBlockOfLinesAsksFirst() {
    var fixture = ScreenFixture()
    // One burst: three lines joined by Enter, then Enter.
    var keys = typed("one") + [.enter] + typed("two") + [.enter] + typed("three")
    keys.append(.enter)
    #expect(sent(fixture.controller.handle(keys: keys, now: fixture.now)).isEmpty)
    #expect(fixture.controller.view.question?.contains("Send 3 lines") == true)
    let out = sent(fixture.controller.handle(keys: [.character("y")], now: fixture.now))
    #expect(
      out.map { $0.split(separator: ":").last.map(String.init) ?? "" } == ["one", "two", "three"])
    // "n" throws a paste away.
    _ = fixture.controller.handle(
      keys: typed("a") + [.enter] + typed("b") + [.enter], now: fixture.now)
    #expect(sent(fixture.controller.handle(keys: [.character("n")], now: fixture.now)).isEmpty)
  }

  @Test func altDigitAndCtrlNSwitchBuffersAndAltASkipsToUnread() {
    var fixture = ScreenFixture()
    fixture.server(":ada!a@h JOIN #faculty", ":srv 366 ada #faculty :End")
    _ = fixture.controller.handle(keys: [.alt("1")], now: fixture.now)
    #expect(fixture.controller.session.buffers.activeKey == .server)
    _ = fixture.controller.handle(keys: [.ctrl("n")], now: fixture.now)
    #expect(fixture.controller.session.buffers.activeKey == BufferKey(target: "#lab"))
    fixture.say("bob", "new", at: 1, id: "x")
    _ = fixture.controller.handle(keys: [.alt("3")], now: fixture.now)
    _ = fixture.controller.handle(keys: [.alt("a")], now: fixture.now)
    #expect(fixture.controller.session.buffers.activeKey == BufferKey(target: "#lab"))
  }

  @Test func pageUpPastTheOldestLineFetchesOlderHistory() {
    var fixture = ScreenFixture()
    let time = formatServerTime(fixture.now)
    var lines = [":srv BATCH +b chathistory #lab"]
    for index in 0..<100 {
      lines.append("@batch=b;time=\(time);msgid=id\(index) :bob!u@h PRIVMSG #lab :line \(index)")
    }
    lines.append(":srv BATCH -b")
    for line in lines { fixture.server(line) }
    var asked: [String] = []
    for _ in 0..<30 {
      asked += sent(fixture.controller.handle(keys: [.pageUp], now: fixture.now))
    }
    #expect(asked == ["CHATHISTORY BEFORE #lab msgid=id0 100"])
  }

  @Test func tabCompletesRecentSpeakersFirst() {
    var fixture = ScreenFixture()
    fixture.say("eve", "hi", at: 1, id: "a")
    fixture.say("evan", "hi", at: 2, id: "b")
    _ = fixture.controller.handle(keys: typed("ev") + [.tab], now: fixture.now)
    #expect(fixture.controller.view.editor.string == "evan: ")
    _ = fixture.controller.handle(keys: [.tab], now: fixture.now)
    #expect(fixture.controller.view.editor.string == "eve: ")
  }

  @Test func pageUpShowsOlderLinesAndPageDownComesBack() {
    var fixture = ScreenFixture()
    for index in 0..<60 { fixture.say("bob", "line \(index)", at: index, id: "m\(index)") }
    #expect(fixture.screen().contains { $0.contains("line 59") })
    _ = fixture.controller.handle(keys: [.pageUp, .pageUp], now: fixture.now)
    let up = fixture.screen()
    #expect(!up.contains { $0.contains("line 59") })
    #expect(up.contains { $0.contains("scrolled") })
    // Far past the top: the screen stays full, starting at the first line.
    for _ in 0..<20 { _ = fixture.controller.handle(keys: [.pageUp], now: fixture.now) }
    let top = fixture.screen()
    #expect(top.contains { $0.contains("line 0") })
    #expect(top[17].contains("line"))
    for _ in 0..<30 { _ = fixture.controller.handle(keys: [.pageDown], now: fixture.now) }
    #expect(fixture.screen().contains { $0.contains("line 59") })
  }

  @Test func olderHistoryArrivingAboveDoesNotMoveTheView() {
    var fixture = ScreenFixture()
    for index in 100..<160 { fixture.say("bob", "line \(index)", at: index, id: "m\(index)") }
    _ = fixture.controller.handle(keys: [.pageUp, .pageUp], now: fixture.now)
    let before = fixture.screen()
    let time = formatServerTime(fixture.now + 5_000)
    var lines = [":srv BATCH +old chathistory #lab"]
    for index in 0..<50 {
      lines.append("@batch=old;time=\(time);msgid=o\(index) :eve!u@h PRIVMSG #lab :older \(index)")
    }
    lines.append(":srv BATCH -old")
    for line in lines { fixture.server(line) }
    let after = fixture.screen()
    // The message pane (rows 1-17, right of the buffer list) is the same.
    #expect(before[1..<18].map { $0.dropFirst(18) } == after[1..<18].map { $0.dropFirst(18) })
    #expect(before[1].contains("line 127"))
  }
}
