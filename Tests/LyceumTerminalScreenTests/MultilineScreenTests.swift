import LyceumClient
import LyceumTerminalScreen
import Testing

@Suite struct MultilineScreenTests {
  @Test func aMultilineMessageShowsOnceOverSeveralRowsUnderTheTextColumn() {
    var fixture = ScreenFixture()
    fixture.server(
      "@time=2025-11-24T16:00:05.000Z;msgid=m1 :bob!b@h BATCH +b draft/multiline #lab",
      "@batch=b :bob!b@h PRIVMSG #lab :Abstract:",
      "@batch=b :bob!b@h PRIVMSG #lab :we study\u{20}",
      "@batch=b;draft/multiline-concat :bob!b@h PRIVMSG #lab :bees.", ":bob!b@h BATCH -b")
    let lines = fixture.screen()
    let first = lines.firstIndex { $0.contains("bob Abstract:") }
    #expect(first != nil)
    guard let first else { return }
    // The second line is the row below, aligned with the text of the first, with no time.
    let textColumn = lines[first].range(of: "Abstract:")!.lowerBound
    let next = lines[first + 1]
    #expect(
      next.range(of: "we study bees.")?.lowerBound.utf16Offset(in: next)
        == textColumn.utf16Offset(in: lines[first]))
    #expect(!next.contains("16:00") && !next.contains("bob"))
    #expect(lines.filter { $0.contains("bob") }.count == 1)
  }

  @Test func aConfirmedPasteGoesOutAsOneBatch() {
    var fixture = ScreenFixture(extraCaps: " draft/multiline=max-bytes=4096,max-lines=100")
    let keys = "one".map { Key.character($0) } + [.enter] + "two".map { Key.character($0) }
    _ = fixture.controller.handle(keys: keys + [.enter], now: fixture.now)
    let out = fixture.controller.handle(keys: [.character("y")], now: fixture.now)
    let sent = out.compactMap { if case .send(let line) = $0 { line } else { nil } }
    #expect(sent.count == 4)
    #expect(sent.first?.contains("BATCH +") == true && sent.last?.hasPrefix("BATCH -") == true)
  }
}
