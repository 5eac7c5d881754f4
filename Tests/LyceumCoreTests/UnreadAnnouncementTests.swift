import LyceumProtocol
import Testing

@testable import LyceumCore

/// Unread announcements kept until read: a member of an `announcements` room whose client
/// cannot fetch history is shown every announcement after its read marker on join, up to
/// `limits.unreadAnnouncements`, not only the last `replayOnJoin` lines.
@Suite("Unread announcements")
struct UnreadAnnouncementTests {
  static let bot = Accounts.summary("seminarbot", role: .bot)
  static let maria = Accounts.summary("maria")

  /// A core with history and a short replay (2 lines), where the bot posts `count` lines to
  /// #announcements and to the ordinary #lab after maria's marker (set before the first).
  private final class Rig {
    let h: CoreHarness
    let store = InMemoryHistoryStore()

    init(count: Int, unreadCap: Int = 5) {
      h = CoreHarness {
        $0.historyEnabled = true
        $0.limits.replayOnJoin = 2
        $0.limits.unreadAnnouncements = unreadCap
        $0.rooms = [ConfiguredRoom(name: "#announcements", kind: .announcements)]
      }
      h.core.loadAccounts([UnreadAnnouncementTests.bot, UnreadAnnouncementTests.maria])
      h.core.restoreRooms([])
      let bot = h.registerLoggedIn(
        nick: "seminarbot", as: UnreadAnnouncementTests.bot, caps: ["draft/chathistory"])
      _ = h.exchange("JOIN #lab", from: bot)
      let marker = h.clock.wallClockMilliseconds()
      h.core.loadReadMarkers([
        ReadMarker(account: "maria", target: "#announcements", milliseconds: marker),
        ReadMarker(account: "maria", target: "#lab", milliseconds: marker),
      ])
      for index in 0..<count {
        h.clock.advance(by: .seconds(60))
        h.send("PRIVMSG #announcements :notice \(index)", from: bot)
        h.send("PRIVMSG #lab :chat \(index)", from: bot)
      }
      try? store.append(h.takeKept())
      h.clock.advance(by: .seconds(60))
    }

    /// Maria joins `channel` with a plain client; the replay it is shown, as text.
    func join(_ channel: String) -> [String] {
      let maria = h.registerLoggedIn(nick: "maria", as: UnreadAnnouncementTests.maria)
      _ = h.exchange("JOIN \(channel)", from: maria)
      for request in h.historyRequests() {
        h.answer(request.run(on: store), for: request.connection)
      }
      return h.messages(for: maria).map { $0.params.last ?? "" }
    }
  }

  @Test func everyUnreadAnnouncementIsShownNotOnlyTheReplay() {
    let rig = Rig(count: 4)
    let shown = rig.join("#announcements")
    #expect(shown.first == "--- 4 unread messages of #announcements ---")
    #expect(shown.filter { $0.contains("notice ") }.count == 4)
    #expect(shown.last == "--- End of history ---")
  }

  @Test func anOrdinaryRoomKeepsTheReplayLimit() {
    let rig = Rig(count: 4)
    let shown = rig.join("#lab")
    #expect(shown.first == "--- 2 earlier unread messages of #lab not shown ---")
    #expect(shown.filter { $0.contains("chat ") }.count == 2)
  }

  @Test func pastTheCapTheEarlierOnesAreCounted() {
    let rig = Rig(count: 7, unreadCap: 5)
    let shown = rig.join("#announcements")
    #expect(shown.first == "--- 2 earlier unread messages of #announcements not shown ---")
    #expect(shown[1] == "--- Last 5 of 7 unread messages of #announcements ---")
    #expect(shown.filter { $0.contains("notice ") }.count == 5)
    #expect(shown.contains { $0.hasSuffix("notice 6") })
  }
}
