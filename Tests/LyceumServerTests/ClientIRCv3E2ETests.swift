import Foundation
import LyceumClient
import Testing

/// The client library against the real server for what the server added in IRCv3: a pasted
/// multiline message, a reaction and a deletion, live and from history (event-playback).
@Suite(.serialized) struct ClientIRCv3E2ETests {
  typealias Runner = BlockingSessionRunner

  /// Waits until `runner`'s own message is echoed back: every line the server sent it before
  /// that echo (what others said earlier) has been handled by then.
  static func sync(_ runner: Runner, _ text: String) throws {
    try runner.post(to: "#lab", text: text, replyTo: nil, timeout: .seconds(5))
  }

  static func lab(_ runner: Runner) throws -> ChatBuffer {
    try #require(runner.session.buffers[BufferKey(target: "#lab")])
  }

  @Test func multilineReactionAndRedactionLiveAndFromHistory() throws {
    let server = try TestServer()
    defer { server.stop() }
    let bob = try ClientSessionE2ETests.runner(server, SessionConfiguration(nick: "bob"))
    try bob.waitUntilRegistered(timeout: .seconds(10))
    try bob.join("#lab", timeout: .seconds(5))
    let ada = try ClientSessionE2ETests.runner(server, SessionConfiguration(nick: "ada"))
    try ada.waitUntilRegistered(timeout: .seconds(10))
    try ada.join("#lab", timeout: .seconds(5))

    // bob pastes three lines, one longer than a PRIVMSG carries: one batch, one message.
    let long = String(repeating: "spectra ", count: 80) + "end"
    try bob.perform(bob.session.paste(["Abstract:", "", long], now: 0))
    let answer = try bob.run(timeout: .seconds(5)) {
      if case .labelAnswered = $0 { return true }
      return false
    }
    guard case .labelAnswered(_, true, _)? = answer else {
      Issue.record("the multiline message was not accepted: \(String(describing: answer))")
      return
    }
    let expected = "Abstract:\n\n" + long
    let mine = try Self.lab(bob).lines.filter { $0.kind == .message }
    #expect(mine.map(\.text) == [expected])
    try Self.sync(ada, "seen?")
    let received = try Self.lab(ada).lines.filter { $0.sender == "bob" }
    #expect(received.map(\.text) == [expected])
    let abstract = try #require(received.first?.msgid)

    // ada reacts to it; bob deletes a message of his own.
    try ada.perform(ada.session.input("/react \(abstract) 👍", now: 0))
    try Self.sync(bob, "a slip")
    try bob.perform(bob.session.input("/redact", now: 0))
    try Self.sync(bob, "done")
    try Self.sync(ada, "seen again?")
    let lab = try Self.lab(ada)
    #expect(lab.reactions[abstract]?.entries.map(\.emoji) == ["👍"])
    #expect(lab.lines.first { $0.text == "a slip" } == nil)
    #expect(lab.lines.contains { $0.sender == "bob" && $0.isRedacted })

    // A newcomer's history: the multiline message once, the reaction counted, the slip gone.
    let eve = try ClientSessionE2ETests.runner(server, SessionConfiguration(nick: "eve"))
    try eve.waitUntilRegistered(timeout: .seconds(10))
    try eve.join("#lab", timeout: .seconds(5))
    _ = try eve.run(timeout: .seconds(5)) {
      if case .historyLoaded = $0 { return true }
      return false
    }
    let history = try Self.lab(eve)
    #expect(history.lines.filter { $0.sender == "bob" }.map(\.text) == [expected, "done"])
    #expect(history.reactions[abstract]?.entries.first?.senders.count == 1)
  }
}
