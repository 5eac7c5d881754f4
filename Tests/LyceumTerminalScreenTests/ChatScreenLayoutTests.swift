import LyceumClient
import LyceumTerminalScreen
import LyceumTerminalView
import Testing

@Suite struct ChatScreenLayoutTests {
  @Test func showsTopicBufferListMessagesStatusAndInput() {
    var fixture = ScreenFixture()
    fixture.server(":srv 332 ada #lab :Spectroscopy results")
    fixture.say("bob", "results are in", at: 60, id: "m1")
    let lines = fixture.screen()
    #expect(lines[0].contains("#lab") && lines[0].contains("Spectroscopy results"))
    #expect(lines[1].hasPrefix("1 server"))
    #expect(lines[2].hasPrefix("2 #lab"))
    #expect(lines.contains { $0.contains("16:01") && $0.contains("bob results are in") })
    #expect(lines[18].contains("ada") && lines[18].contains("3 members"))
    #expect(lines[19].hasPrefix(">"))
  }

  @Test func wideAndCombiningTextWrapsWithinTheWidthAndLosesNothing() {
    var fixture = ScreenFixture()
    let text =
      "日本語のテキストとemoji 👩‍🔬🇪🇸 and café with e\u{301}cole, repeated: "
      + String(repeating: "研究室の会議は木曜日です。", count: 4)
    fixture.say("bob", text, at: 1, id: "m1")
    for width in [40, 47, 61, 80] {
      let layout = fixture.controller.render(width: width, height: 30)
      let grid = layout.grid
      var shown = ""
      for row in 0..<grid.height {
        var line = ""
        for column in 0..<grid.width {
          let cell = grid[row, column]
          #expect(!(cell.isContinuation && column == 0))
          if !cell.isContinuation { line.append(cell.character) }
        }
        shown += line
        // Each row's drawn width never passes the grid.
        #expect(DisplayWidth.of(grid.rowText(row)) <= width)
      }
      // Every character is there exactly as often as it was sent (CJK may break anywhere).
      let counts: [(Character, Int)] = [
        ("研", 4), ("日", 5), ("👩‍🔬", 1), ("🇪🇸", 1), ("é", 2), ("。", 4),
      ]
      for (character, count) in counts {
        #expect(shown.filter { $0 == character }.count == count, "width \(width): \(character)")
      }
    }
  }

  @Test func unreadAndHighlightCountsShowInTheBufferList() {
    var fixture = ScreenFixture()
    fixture.server(":ada!a@h JOIN #faculty", ":srv 366 ada #faculty :End")
    _ = fixture.controller.handle(keys: [.alt("3")], now: fixture.now)
    // #faculty is on screen now; #lab collects unread lines.
    fixture.say("bob", "plain line", at: 1, id: "m1")
    fixture.say("eve", "ada: a question for you", at: 2, id: "m2")
    let lines = fixture.screen()
    #expect(lines[2].contains("#lab 2!1"))
    // The buffer on screen shows no counts of its own.
    _ = fixture.controller.handle(keys: [.alt("2")], now: fixture.now)
    #expect(fixture.screen()[2].hasPrefix("2 #lab ") && !fixture.screen()[2].contains("!"))
  }

  @Test func repliesAreFoldedUnderTheirRootWithACount() {
    var fixture = ScreenFixture()
    fixture.say("bob", "draft v2 is up", at: 1, id: "root")
    fixture.say("eve", "typo on page 3", at: 2, id: "r1", tags: ";+reply=root")
    fixture.say("bob", "fixed", at: 3, id: "r2", tags: ";+reply=r1")
    let lines = fixture.screen(width: 100)
    #expect(lines.contains { $0.contains("draft v2 is up") && $0.contains("[2 replies") })
    #expect(!lines.contains { $0.contains("typo on page 3") })
    _ = fixture.controller.session.input("/thread", now: fixture.now)
    let thread = fixture.screen(width: 100)
    #expect(thread[0].contains("#lab ↳"))
    #expect(thread.contains { $0.contains("typo on page 3") })
    #expect(thread.contains { $0.contains("fixed") })
  }

  @Test func aReplyWhoseRootIsNotHereIsShownMarked() {
    var fixture = ScreenFixture()
    fixture.say("eve", "about the old draft", at: 1, id: "r1", tags: ";+reply=unknownroot")
    let lines = fixture.screen()
    #expect(lines.contains { $0.contains("↳ about the old draft") })
    #expect(fixture.controller.session.buffers.active.unreadCount <= 1)
  }

  @Test func daySeparatorsBetweenDays() {
    var fixture = ScreenFixture()
    fixture.say("bob", "monday", at: 0, id: "m1")
    fixture.say("bob", "tuesday", at: 86_400, id: "m2")
    let lines = fixture.screen()
    #expect(
      lines.filter { $0.contains("─ 2025-11-24 ─") || $0.contains("─ 2025-11-25 ─") }.count == 2)
  }

  @Test func tinyTerminalsStillDraw() {
    var fixture = ScreenFixture()
    fixture.say("bob", String(repeating: "長い行 ", count: 40), at: 1, id: "m1")
    for (width, height) in [(40, 10), (20, 5), (10, 4), (3, 2), (1, 1)] {
      let grid = fixture.controller.render(width: width, height: height).grid
      #expect(grid.width == width && grid.height == height)
    }
    // At 40x10 there is no buffer list and the input line is last.
    let lines = fixture.screen(width: 40, height: 10)
    #expect(!lines[1].hasPrefix("1 server"))
    #expect(lines[9].hasPrefix(">"))
  }

  @Test func controlCharactersFromTheServerNeverReachTheScreen() {
    var fixture = ScreenFixture()
    fixture.say("bob", "bell\u{07} escape\u{1B}[2J \u{02}bold\u{02} \u{03}4red", at: 1, id: "m1")
    let grid = fixture.controller.render(width: 80, height: 20).grid
    for row in 0..<grid.height {
      for column in 0..<grid.width {
        let scalar = grid[row, column].character.unicodeScalars.first!.value
        #expect(scalar >= 0x20 && scalar != 0x7F)
      }
    }
    #expect(fixture.screen().contains { $0.contains("bold red") })
  }
}
