import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `draft/message-redaction` over TLS with the SQLite store: the redaction is relayed, and the
/// message's text is gone from history and search, also after a restart.
@Suite struct RedactionE2ETests {
  static let caps = historyCaps + ["echo-message", "draft/message-redaction"]

  @Test func aRedactedMessageIsErasedFromHistoryAndSearch() throws {
    let server = try TestServer(HistoryE2ETests.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: Self.caps)
    let bob = try server.registered("bob", caps: Self.caps)
    try alice.registerAccount()
    try alice.join("#rd")
    try bob.join("#rd")
    try alice.sync()
    try alice.send("PRIVMSG #rd :the exam password is swordfish")
    let echo = try alice.expect("PRIVMSG")
    let msgid = try #require(echo.tagValue("msgid"))
    try bob.expect("PRIVMSG")
    try alice.send("REDACT #rd \(msgid) :wrong channel")
    let own = try alice.expect("REDACT")
    #expect(own.params == ["#rd", msgid, "wrong channel"])
    let told = try bob.expect("REDACT")
    #expect(told.params == ["#rd", msgid, "wrong channel"])
    try alice.send("PRIVMSG #rd :swordfish is also a fish")
    try alice.expect("PRIVMSG")

    let restarted = try server.restarted(configure: HistoryE2ETests.unthrottled)
    defer { restarted.stop() }
    let carol = try restarted.registered(
      "carol", caps: Self.caps + ["draft/event-playback"])
    try carol.join("#rd")
    let history = try carol.chathistory("LATEST #rd * 20")
    #expect(history.texts == ["swordfish is also a fish"])
    #expect(history.messages.with("REDACT").first?.params.prefix(2) == ["#rd", msgid])
    try carol.send("SEARCH text=swordfish")
    let found = try carol.readUntil("the end of the search") {
      $0.command == "BATCH" && $0.params.first?.hasPrefix("-") == true
    }
    #expect(found.with("PRIVMSG").map(\.trailing) == ["swordfish is also a fish"])
  }

  /// The newest messages are loaded again at start-up: their author (by account) may still
  /// redact them after a restart, others may not.
  @Test func theAuthorStillRedactsAfterARestart() throws {
    let server = try TestServer(HistoryE2ETests.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: Self.caps)
    try alice.registerAccount(password: "alice-password-1")
    try alice.join("#rd")
    try alice.send("PRIVMSG #rd :posted before the restart")
    let msgid = try #require(try alice.expect("PRIVMSG").tagValue("msgid"))

    let restarted = try server.restarted(configure: HistoryE2ETests.unthrottled)
    defer { restarted.stop() }
    let bob = try restarted.registered("bob", caps: Self.caps)
    try bob.join("#rd")
    try bob.send("REDACT #rd \(msgid)")
    let refused = try bob.expect("FAIL")
    #expect(refused.params.prefix(2) == ["REDACT", "REDACT_FORBIDDEN"])

    let again = try restarted.connect(name: "alice-again")
    try again.send("CAP REQ :\(Self.caps.joined(separator: " "))")
    try again.sendPassNickAndUser("alice:alice-password-1", nick: "alice")
    try again.send("CAP END")
    _ = try again.readUntil("001") { $0.command == "001" }
    try again.join("#rd")
    try again.send("REDACT #rd \(msgid) :old typo")
    #expect(try again.expect("REDACT").params == ["#rd", msgid, "old typo"])
    #expect(try bob.expect("REDACT").params.prefix(2) == ["#rd", msgid])
  }

  /// A direct message can be redacted while the other party is offline (named by account).
  @Test func aDirectMessageIsRedactedWhileTheOtherIsOffline() throws {
    let server = try TestServer(HistoryE2ETests.unthrottled)
    defer { server.stop() }
    let bob = try server.registered("bob", caps: Self.caps)
    try bob.registerAccount(password: "bob-password-12")
    let alice = try server.registered("alice", caps: Self.caps)
    try alice.registerAccount(password: "alice-password-1")
    try alice.send("PRIVMSG bob :wrong person, sorry")
    let msgid = try #require(try alice.expect("PRIVMSG").tagValue("msgid"))
    try bob.expect("PRIVMSG")
    try bob.send("QUIT")
    _ = try bob.expectClosed()
    try alice.send("REDACT bob \(msgid)")
    #expect(try alice.expect("REDACT").params == ["bob", msgid])
  }
}
