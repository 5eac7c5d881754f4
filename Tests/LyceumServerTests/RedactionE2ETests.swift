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
}
