import LyceumProtocol
import Testing

@testable import LyceumCore

/// Announcements rooms (only operators and bots speak) and the `lyceum.chat/notify` tag.
@Suite("Announcements")
struct AnnouncementTests {
  static let bot = Accounts.summary("seminarbot", role: .bot)

  func harness() -> CoreHarness {
    let h = CoreHarness {
      $0.rooms = [ConfiguredRoom(name: "#announcements", kind: .announcements)]
    }
    h.core.loadAccounts([Self.bot])
    h.core.restoreRooms([])
    return h
  }

  @Test func onlyOperatorsAndBotsPostAndTheirMessagesAreMarked() {
    let h = harness()
    let ada = h.register(nick: "ada", caps: ["message-tags"])
    let bob = h.register(nick: "bob")
    _ = h.exchange("JOIN #announcements", from: ada)
    _ = h.exchange("JOIN #announcements", from: bob)
    _ = h.lines(for: ada)
    let refused = h.exchange("PRIVMSG #announcements :hello all", from: bob)
    #expect(refused.first?.command == "404")
    #expect(refused.first?.params.last?.contains("only its operators and bots") == true)
    #expect(h.lines(for: ada).isEmpty)

    let bot = h.registerLoggedIn(nick: "seminarbot", as: Self.bot)
    _ = h.exchange("PRIVMSG #announcements :Seminar moved to 3pm", from: bot)
    let seen = h.messages(for: ada).filter { $0.command == "PRIVMSG" }
    #expect(seen.first?.tags.contains(IRCTag("lyceum.chat/notify", "announcement")) == true)
    // A plain client gets the text unchanged, without tags.
    let plain = h.lines(for: bob).filter { $0.contains("PRIVMSG") }
    #expect(
      plain == [":seminarbot!seminarbot@198.51.100.7 PRIVMSG #announcements :Seminar moved to 3pm"])
  }

  @Test func anOperatorsHereOrRoomMentionIsMarkedAnyoneElsesIsNot() {
    let h = CoreHarness()
    let ada = h.register(nick: "ada", caps: ["message-tags"])
    let bob = h.register(nick: "bob", caps: ["message-tags"])
    _ = h.exchange("JOIN #lab", from: ada)
    _ = h.exchange("JOIN #lab", from: bob)
    _ = h.lines(for: ada)
    _ = h.exchange("PRIVMSG #lab :@here meeting in five minutes", from: ada)
    let marked = h.messages(for: bob).first { $0.command == "PRIVMSG" }
    #expect(marked?.tags.contains(IRCTag("lyceum.chat/notify", "mention")) == true)
    _ = h.exchange("PRIVMSG #lab :@room, anyone?", from: bob)
    let unmarked = h.messages(for: ada).first { $0.command == "PRIVMSG" }
    #expect(unmarked?.tags.contains { $0.key == "lyceum.chat/notify" } == false)
    #expect(IRCServerCore.mentionsEveryone("ping (@ROOM): done"))
    #expect(!IRCServerCore.mentionsEveryone("mail me at x@here.org"))
  }
}
