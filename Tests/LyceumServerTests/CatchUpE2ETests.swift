import Foundation
import LyceumCore
import LyceumProtocol
import LyceumServer
import Testing

/// Catch-up for clients without `draft/chathistory` (HISTORY.md § 5): the replay on join starts
/// after the account's read marker, a second device is shown its channels' unread lines, and
/// what a session that cannot mark read was shown counts as read. Real TLS, real SQLite.
@Suite struct CatchUpE2ETests {
  static let password = "catch-up-password"

  /// A server with history, a replay of at most 3 lines, and the accounts `names`.
  static func server(
    accounts names: [String], configure: (inout ServerConfiguration) -> Void = { _ in }
  ) throws -> TestServer {
    try TestServer(
      prepare: { directory in
        for name in names {
          try AccountSeed.account(directory, name, AccountSettings(password: password))
        }
      },
      configure: {
        HistoryE2ETests.unthrottled(&$0)
        $0.history.enabled = true
        $0.history.replayOnJoin = 3
        configure(&$0)
      })
  }

  /// A session logged in to `account` as `nick`.
  static func login(
    _ server: TestServer, _ account: String, nick: String? = nil, caps: [String] = []
  ) throws -> TestClient {
    try loginSeeing(server, account, nick: nick, caps: caps).client
  }

  /// A session logged in to `account` as `nick`, and what it was sent up to its welcome and
  /// a `PING` round trip after it (the catch-up on connect included).
  static func loginSeeing(
    _ server: TestServer, _ account: String, nick: String? = nil, caps: [String] = []
  ) throws -> (client: TestClient, seen: [IRCMessage]) {
    let client = try server.connect(name: nick ?? account)
    let seen = try client.registerWithPlain(
      nick: nick ?? account, account: account, password: password, caps: caps)
    return (client, seen)
  }

  /// Waits until the wall clock (the server's, on this machine) is past the `time` tag `text`
  /// (or now): a read marker is a time in milliseconds, so a line said in the same millisecond
  /// as the one marked read counts as read. At most a few milliseconds.
  static func waitForTheClockToPass(_ text: String? = nil) {
    let now = { Int64(Date().timeIntervalSince1970 * 1000) }
    let time = text.flatMap(ServerTime.parse) ?? now()
    while now() <= time { Thread.sleep(forTimeInterval: 0.001) }
  }

  /// Everything from the first `NOTICE` of a replay to its end notice.
  static func replay(in seen: [IRCMessage]) -> [IRCMessage] {
    guard let start = seen.firstIndex(where: { $0.command == "NOTICE" }) else { return [] }
    return Array(seen[start...].prefix { $0.command != "PONG" })
  }

  /// Alice (`draft/read-marker`, no chathistory) marks #lab read at the third message; she is
  /// sent a fourth but does not mark it (her client can, so the server leaves her marker alone
  /// when she quits); four more are said while she is away. On her next JOIN she is shown the
  /// last three of the five unread, after a line saying two earlier ones were left out.
  @Test func rejoinReplaysOnlyUnreadLinesAndCountsTheSkippedOnes() throws {
    let server = try Self.server(accounts: ["alice"])
    defer { server.stop() }
    let alice = try Self.login(server, "alice", caps: ["draft/read-marker", "server-time"])
    try alice.join("#lab")
    let carol = try server.registered("carol")
    try carol.join("#lab")
    for index in 1...3 { try carol.send("PRIVMSG #lab :m\(index)") }
    let third = try alice.expect("PRIVMSG") { $0.trailing == "m3" }
    let time = try #require(third.tagValue("time"))
    try alice.send("MARKREAD #lab timestamp=\(time)")
    try alice.expect("MARKREAD")
    Self.waitForTheClockToPass(time)
    try carol.send("PRIVMSG #lab :m4")
    try alice.expect("PRIVMSG") { $0.trailing == "m4" }
    try alice.send("QUIT :bye")
    try alice.expectClosed()
    for index in 5...8 { try carol.send("PRIVMSG #lab :m\(index)") }
    try carol.sync()

    let back = try Self.login(server, "alice", caps: ["draft/read-marker", "server-time"])
    let replay = Self.replay(in: try back.join("#lab"))
    #expect(
      replay.map(\.trailing) == [
        "--- 2 earlier unread messages of #lab not shown ---",
        "--- Last 3 of 5 unread messages of #lab ---",
        "m6", "m7", "m8", "--- End of history ---",
      ])
    #expect(replay[2].tagValue("time") != nil, "replayed lines keep their time")
  }

  /// A plain client (no capabilities) cannot mark read, so what it is shown counts as read: a
  /// line it saw live is not replayed when it comes back, one said while it was away is, and
  /// a third visit replays nothing.
  @Test func plainClientIsNotShownWhatItSawBefore() throws {
    let server = try Self.server(accounts: ["alice"])
    defer { server.stop() }
    let alice = try Self.login(server, "alice")
    try alice.join("#lab")
    let carol = try server.registered("carol")
    try carol.join("#lab")
    try carol.send("PRIVMSG #lab :seen live")
    try alice.expect("PRIVMSG") { $0.trailing == "seen live" }
    try alice.send("QUIT :bye")
    try alice.expectClosed()
    Self.waitForTheClockToPass()
    try carol.send("PRIVMSG #lab :said while away")
    try carol.sync()

    let back = try Self.login(server, "alice")
    let replay = Self.replay(in: try back.join("#lab"))
    #expect(replay.map(\.command) == ["NOTICE", "PRIVMSG", "NOTICE"], "\(replay)")
    #expect(replay.first?.trailing == "--- 1 unread message of #lab ---")
    #expect(replay[1].trailing.hasSuffix("] said while away"))
    try back.send("QUIT :bye")
    try back.expectClosed()
    Self.waitForTheClockToPass()

    let third = try Self.login(server, "alice")
    #expect(Self.replay(in: try third.join("#lab")).isEmpty)
  }

  /// A second device logging in to an account already online is shown, after the JOIN burst of
  /// each channel, the lines its account has not read; the first device (which can mark read)
  /// is told the marker moved, since the second one showed them.
  @Test func secondDeviceIsShownTheUnreadLinesOfItsChannels() throws {
    let server = try Self.server(accounts: ["alice"])
    defer { server.stop() }
    let laptop = try Self.login(server, "alice", caps: ["draft/read-marker", "server-time"])
    try laptop.join("#lab")
    let carol = try server.registered("carol")
    try carol.join("#lab")
    try carol.send("PRIVMSG #lab :read on the laptop")
    let first = try #require(try laptop.expect("PRIVMSG").tagValue("time"))
    try laptop.send("MARKREAD #lab timestamp=\(first)")
    try laptop.expect("MARKREAD")
    Self.waitForTheClockToPass(first)
    try carol.send("PRIVMSG #lab :unread one")
    try carol.send("PRIVMSG #lab :unread two")
    let last = try laptop.expect("PRIVMSG") { $0.trailing == "unread two" }

    let (_, seen) = try Self.loginSeeing(server, "alice", nick: "alice-phone")
    let joinAt = try #require(seen.firstIndex { $0.command == "JOIN" })
    let replay = Self.replay(in: Array(seen[joinAt...]))
    #expect(
      replay.map { $0.trailing.replacing(#/^\[[^\]]*\] /#, with: "") } == [
        "--- 2 unread messages of #lab ---", "unread one", "unread two",
        "--- End of history ---",
      ])
    let moved = try laptop.expect("MARKREAD")
    #expect(moved.params == ["#lab", "timestamp=\(try #require(last.tagValue("time")))"])
  }

  /// The count of unread lines left out starts at the channel's creation: a marker from an
  /// ended channel of the same name does not tell how much that channel said after it.
  @Test func theSkippedCountDoesNotReachIntoAnEndedChannel() throws {
    let server = try Self.server(accounts: ["alice"])
    defer { server.stop() }
    let carol = try server.registered("carol")
    try carol.join("#tmp")  // a guest's channel: ordinary, forgotten when it empties
    let alice = try Self.login(server, "alice", caps: ["draft/read-marker", "server-time"])
    try alice.join("#tmp")
    try carol.send("PRIVMSG #tmp :old one")
    let time = try #require(try alice.expect("PRIVMSG").tagValue("time"))
    try alice.send("MARKREAD #tmp timestamp=\(time)")
    try alice.expect("MARKREAD")
    Self.waitForTheClockToPass(time)
    for index in 1...5 { try carol.send("PRIVMSG #tmp :old, unread \(index)") }
    try alice.send("PART #tmp")
    try carol.send("PART #tmp")
    try carol.sync()
    try alice.sync()
    Self.waitForTheClockToPass()

    try carol.join("#tmp")
    try carol.send("PRIVMSG #tmp :new")
    try carol.sync()
    let replay = Self.replay(in: try alice.join("#tmp"))
    #expect(
      replay.map { $0.trailing.replacing(#/^\[[^\]]*\] /#, with: "") } == [
        "--- 1 unread message of #tmp ---", "new", "--- End of history ---",
      ])
  }

  /// Guests keep the replay as it was: the last lines, whatever they saw before.
  @Test func guestsGetTheLastLinesAsBefore() throws {
    let server = try Self.server(accounts: [])
    defer { server.stop() }
    let carol = try server.registered("carol")
    try carol.join("#lab")
    for index in 1...4 { try carol.send("PRIVMSG #lab :m\(index)") }
    try carol.sync()
    for _ in 0..<2 {
      let guest = try server.registered("guest")
      let replay = Self.replay(in: try guest.join("#lab"))
      #expect(replay.first?.trailing == "--- Last 3 messages of #lab ---")
      #expect(replay.count == 5)
      try guest.send("QUIT :bye")
      try guest.expectClosed()
    }
  }
}
