import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// The default `#announcements` room over real TLS: a member is refused with `404`, an IRC
/// operator's post reaches a `message-tags` member marked `lyceum.chat/notify=announcement`.
@Suite struct AnnouncementsE2ETests {
  @Test func onlyOperatorsPostAndPostsAreMarkedForNotification() throws {
    let server = try TestServer {
      $0.operators = [OperatorConfiguration(name: "root", password: "secret-oper-password")]
    }
    defer { server.stop() }
    let maria = try server.registered("maria", caps: ["message-tags"])
    _ = try maria.join("#announcements")
    try maria.send("PRIVMSG #announcements :hello?")
    let refused = try maria.expect("404")
    #expect(refused.params.last?.contains("only its operators and bots") == true)

    let root = try server.registered("root")
    try root.send("OPER root secret-oper-password")
    _ = try root.expect("381")
    _ = try root.join("#announcements")
    try root.send("PRIVMSG #announcements :Library closed on Monday")
    let post = try maria.expect("PRIVMSG")
    #expect(post.params == ["#announcements", "Library closed on Monday"])
    #expect(post.tags.contains(IRCTag("lyceum.chat/notify", "announcement")))
  }
}
