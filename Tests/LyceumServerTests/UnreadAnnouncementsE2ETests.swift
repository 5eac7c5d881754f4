import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Unread announcements over real TLS with SQLite history and read markers: a member whose
/// plain client was away for more announcements than `replay-on-join` is shown all of them
/// when it joins again.
@Suite struct UnreadAnnouncementsE2ETests {
  @Test func aMemberAwayLongerThanTheReplayGetsEveryUnreadAnnouncement() throws {
    let password = "maria-long-password"
    let server = try TestServer(
      prepare: { directory in
        try AccountSeed.account(directory, "maria", AccountSettings(password: password))
      },
      configure: {
        $0.history.enabled = true
        $0.history.replayOnJoin = 2
        $0.operators = [OperatorConfiguration(name: "root", password: "secret-oper-password")]
      })
    defer { server.stop() }
    // Maria's plain client joins and leaves: what it was shown counts as read.
    let first = try server.connect(name: "maria")
    _ = try first.registerWithPlain(nick: "maria", account: "maria", password: password)
    _ = try first.join("#announcements")
    try first.send("QUIT :away for the week")
    _ = try first.expectClosed()

    let root = try server.registered("root")
    try root.send("OPER root secret-oper-password")
    _ = try root.expect("381")
    _ = try root.join("#announcements")
    for index in 1...5 { try root.send("PRIVMSG #announcements :Notice \(index)") }
    _ = try root.sync()

    let again = try server.connect(name: "maria-again")
    _ = try again.registerWithPlain(nick: "maria", account: "maria", password: password)
    let joined = try again.join("#announcements") + again.sync()
    let notices = joined.with("NOTICE").map(\.trailing)
    #expect(notices.contains("--- 5 unread messages of #announcements ---"), "\(notices)")
    let texts = joined.with("PRIVMSG").map(\.trailing)
    #expect(texts.count == 5, "\(texts)")
    #expect(texts.first?.hasSuffix("] Notice 1") == true)
  }
}
