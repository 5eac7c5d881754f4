import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Direct messages to an account that is offline (HISTORY.md § 1, PROTOCOL.md § PRIVMSG): kept,
/// the sender told with `301`, delivered on the recipient's next connection; bounded per
/// recipient; still `401` for a name that is no account. Real TLS, real SQLite.
@Suite struct OfflineMessageE2ETests {
  private typealias Rig = CatchUpE2ETests

  /// Alice writes to bob, who is offline: she gets her echo and a `301` saying it will be
  /// delivered; bob's plain client is shown both messages after its welcome, in order, with
  /// their times in the text; his next connection is shown nothing again.
  @Test func offlineMessageReachesAPlainClientOnConnect() throws {
    let server = try Rig.server(accounts: ["alice", "bob"])
    defer { server.stop() }
    let alice = try Rig.login(server, "alice", caps: ["echo-message"])
    try alice.send("PRIVMSG bob :first, while you sleep")
    let told = try alice.readUntil("301") { $0.command == "301" }
    #expect(told.map(\.command) == ["PRIVMSG", "301"], "the echo, then the notice")
    #expect(told.last?.params.dropFirst().first == "bob")
    #expect(told.last?.trailing.contains("offline") == true)
    try alice.send("PRIVMSG bob :second")
    try alice.sync()

    let (bob, seen) = try Rig.loginSeeing(server, "bob")
    let replay = Rig.replay(in: seen)
    try #require(replay.map(\.command) == ["NOTICE", "PRIVMSG", "PRIVMSG", "NOTICE"], "\(replay)")
    #expect(replay.first?.params == ["bob", "--- Last 2 messages with alice ---"])
    #expect(replay[1].sourceNick == "alice" && replay[1].params.first == "bob")
    let stamp = #/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] /#
    #expect(replay[1].trailing.contains(stamp))
    #expect(replay[1].trailing.hasSuffix("] first, while you sleep"))
    #expect(replay[2].trailing.hasSuffix("] second"))
    try bob.send("QUIT :bye")
    try bob.expectClosed()

    #expect(
      Rig.replay(in: try Rig.loginSeeing(server, "bob").seen).isEmpty, "shown once, then read")
  }

  /// A client with `draft/chathistory` gets no replay: `CHATHISTORY TARGETS` lists the
  /// conversation and `LATEST` reads the message, with its original time and msgid.
  @Test func offlineMessageIsListedForAChathistoryClient() throws {
    let server = try Rig.server(accounts: ["alice", "bob"])
    defer { server.stop() }
    let alice = try Rig.login(
      server, "alice", caps: ["echo-message", "server-time", "message-tags"])
    try alice.send("PRIVMSG bob :the draft is ready")
    let echo = try alice.expect("PRIVMSG")
    try alice.sync()

    let caps = ["draft/chathistory", "batch", "server-time", "message-tags"]
    let bob = try Rig.login(server, "bob", caps: caps)
    try bob.send(
      "CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10"
    )
    let targets = try bob.sync()
    #expect(!targets.contains { $0.command == "NOTICE" }, "no replay for chathistory clients")
    #expect(targets.with("CHATHISTORY").map { $0.params.dropFirst().first } == ["alice"])
    try bob.send("CHATHISTORY LATEST alice * 10")
    let lines = try bob.sync().with("PRIVMSG")
    #expect(lines.map(\.trailing) == ["the draft is ready"])
    #expect(lines.first?.tagValue("msgid") == echo.tagValue("msgid"))
    #expect(lines.first?.tagValue("time") == echo.tagValue("time"))
  }

  /// A name that is neither online nor an account is still `401`; so is a guest's message to an
  /// offline account (guests cannot leave messages), and a `TAGMSG`.
  @Test func unknownNamesGuestsAndTagmsgStillGet401() throws {
    let server = try Rig.server(accounts: ["alice", "bob"])
    defer { server.stop() }
    let alice = try Rig.login(server, "alice", caps: ["message-tags"])
    try alice.send("PRIVMSG nobody :hello?")
    #expect(try alice.expect("401").params.dropFirst().first == "nobody")
    try alice.send("@+typing=active TAGMSG bob")
    #expect(try alice.expect("401").params.dropFirst().first == "bob")
    let guest = try server.registered("guest")
    try guest.send("PRIVMSG bob :let me in")
    #expect(try guest.expect("401").params.dropFirst().first == "bob")

    #expect(Rig.replay(in: try Rig.loginSeeing(server, "bob").seen).isEmpty, "nothing kept for bob")
  }

  /// At most `history.offline-messages` wait for one account: the next is refused with
  /// `FAIL PRIVMSG OFFLINE_LIMIT` and not kept; once bob has connected, there is room again.
  @Test func pendingMessagesAreBoundedPerRecipient() throws {
    let server = try Rig.server(accounts: ["alice", "bob", "carol"]) {
      $0.history.offlineMessages = 2
    }
    defer { server.stop() }
    let alice = try Rig.login(server, "alice")
    let carol = try Rig.login(server, "carol")
    try alice.send("PRIVMSG bob :one")
    try alice.expect("301")
    try carol.send("PRIVMSG bob :two")
    try carol.expect("301")
    try alice.send("PRIVMSG bob :three")
    let fail = try alice.expect("FAIL")
    #expect(fail.params.prefix(3) == ["PRIVMSG", "OFFLINE_LIMIT", "bob"])

    let (bob, seen) = try Rig.loginSeeing(server, "bob")
    let replay = Rig.replay(in: seen)
    #expect(
      replay.with("PRIVMSG").map { $0.trailing.split(separator: "] ").last } == ["one", "two"])
    try bob.send("QUIT :bye")
    try bob.expectClosed()
    try alice.send("PRIVMSG bob :four")
    try alice.expect("301")
  }

  /// `MARKREAD` with a nick is kept per conversation: under the other party's account, so the
  /// marker set with the nick they use now is the one their account name reads back, and the
  /// one the catch-up on connect starts after.
  @Test func markReadOfADirectConversationIsKeptPerAccount() throws {
    let server = try Rig.server(accounts: ["alice", "bob"])
    defer { server.stop() }
    let caps = ["draft/read-marker", "server-time", "echo-message"]
    let bob = try Rig.login(server, "bob", nick: "bobby")
    let alice = try Rig.login(server, "alice", caps: caps)
    try bob.send("PRIVMSG alice :read this")
    let read = try alice.expect("PRIVMSG")
    let time = try #require(read.tagValue("time"))
    try alice.send("MARKREAD bobby timestamp=\(time)")
    #expect(try alice.expect("MARKREAD").params == ["bobby", "timestamp=\(time)"])
    try alice.send("MARKREAD bob")
    #expect(try alice.expect("MARKREAD").params == ["bob", "timestamp=\(time)"])
    Rig.waitForTheClockToPass(time)
    try bob.send("PRIVMSG alice :and this, unread")
    try alice.expect("PRIVMSG")
    try alice.send("QUIT :bye")
    try alice.expectClosed()

    let replay = Rig.replay(in: try Rig.loginSeeing(server, "alice", caps: caps).seen)
    #expect(replay.with("PRIVMSG").map(\.trailing) == ["and this, unread"], "\(replay)")
    #expect(replay.first?.trailing == "--- 1 unread message with bob ---")
  }
}
