import Testing

@testable import LyceumCore

/// The notices around a catch-up replay (PROTOCOL.md § Replay on join): the header says whether
/// the lines are the last ones or the unread ones, and a line counts the unread ones left out.
@Suite struct CatchUpTextTests {
  private func texts(
    _ target: HistoryTarget, name: String, marker: Int64?, shown: Int, skipped: Int
  )
    -> [String]
  {
    let item = ReplayTarget(name: name, target: target, readUpTo: marker)
    let texts = IRCServerCore.catchUpTexts(item, shown: shown, skipped: skipped)
    return [texts.skipped, texts.header, texts.end].compactMap { $0 }
  }

  @Test func withoutAMarkerTheLastLines() {
    #expect(
      texts(.channel("#lab"), name: "#Lab", marker: nil, shown: 3, skipped: 0) == [
        "--- Last 3 messages of #Lab ---", "--- End of history ---",
      ])
    #expect(
      texts(.channel("#lab"), name: "#Lab", marker: nil, shown: 1, skipped: 0).first
        == "--- Last message of #Lab ---")
    #expect(
      texts(.between("ada", "bob"), name: "ada", marker: nil, shown: 2, skipped: 0).first
        == "--- Last 2 messages with ada ---")
  }

  @Test func afterAMarkerTheUnreadLinesAndTheSkippedCount() {
    #expect(
      texts(.channel("#lab"), name: "#lab", marker: 5, shown: 1, skipped: 0) == [
        "--- 1 unread message of #lab ---", "--- End of history ---",
      ])
    #expect(
      texts(.channel("#lab"), name: "#lab", marker: 5, shown: 50, skipped: 1) == [
        "--- 1 earlier unread message of #lab not shown ---",
        "--- Last 50 of 51 unread messages of #lab ---", "--- End of history ---",
      ])
    #expect(
      texts(.between("ada", "bob"), name: "bob", marker: 5, shown: 3, skipped: 12).prefix(2) == [
        "--- 12 earlier unread messages with bob not shown ---",
        "--- Last 3 of 15 unread messages with bob ---",
      ])
  }
}
