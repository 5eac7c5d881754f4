import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// The bots' loopback listener end to end: a plain TCP client (what `nc` is) sends
/// `ACCOUNT:TOKEN TARGET TEXT` lines to a real server with a real SQLite file, and reads one
/// answer line per line.
@Suite struct BotsListenerE2ETests {
  /// A server with the bot account `seminarbot` (token in `token`) and the listener on.
  private static func server(
    _ tune: (inout BotsListenerConfiguration) -> Void = { _ in }
  ) throws -> (TestServer, token: String, port: Int) {
    var token = ""
    let server = try TestServer(
      prepare: { token = try AccountSeed.bot($0, "seminarbot", tokenName: "irccat") },
      configure: {
        $0.history.enabled = true
        var listener = BotsListenerConfiguration(listen: HostPort(host: "127.0.0.1", port: 0))
        tune(&listener)
        $0.botsListener = listener
      })
    guard let port = server.server.boundBotsListenerPort else {
      server.stop()
      throw HarnessFailure(description: "no bots listener")
    }
    return (server, token, port)
  }

  @Test func aBotPostsToTheAnnouncementsRoomAndMembersSeeItTagged() throws {
    let (server, token, port) = try Self.server()
    defer { server.stop() }
    let maria = try server.registered("maria", caps: ["message-tags"])
    _ = try maria.join("#announcements")

    let bot = try LineSocket(port: port)
    try bot.send("seminarbot:\(token) #announcements Seminar moved to 3pm")
    let answer = try bot.answer()
    #expect(answer.hasPrefix("OK "), "\(answer)")
    let post = try maria.expect("PRIVMSG")
    #expect(post.sourceNick == "seminarbot")
    #expect(post.params == ["#announcements", "Seminar moved to 3pm"])
    #expect(post.tags.contains(IRCTag("lyceum.chat/notify", "announcement")))
    #expect(post.tag("bot") != nil, "a bot account's post shows as a bot: \(post.tags)")
    #expect(post.tag("msgid") == .some(String(answer.dropFirst(3))))

    // It was kept: a client fetching history finds it under the same msgid.
    let reader = try server.registered("reader", caps: ["draft/chathistory", "message-tags"])
    _ = try reader.join("#announcements")
    try reader.send("CHATHISTORY LATEST #announcements * 10")
    let history = try reader.sync().with("PRIVMSG")
    #expect(history.map(\.trailing) == ["Seminar moved to 3pm"])
    #expect(history.first?.tag("msgid") == post.tag("msgid"))
  }

  /// Keep before deliver: a post the store cannot keep is shown to no one, and the script is
  /// told so instead of `OK`.
  @Test func aPostThatCannotBeKeptIsRefusedAndNotDelivered() throws {
    final class Box: @unchecked Sendable { var store: FaultyHistoryStore? }
    let box = Box()
    var token = ""
    let server = try TestServer(
      prepare: { token = try AccountSeed.bot($0, "seminarbot", tokenName: "irccat") },
      configure: {
        $0.history.enabled = true
        $0.botsListener = BotsListenerConfiguration(listen: HostPort(host: "127.0.0.1", port: 0))
      },
      historyWriteStore: { base in
        let store = FaultyHistoryStore(base)
        box.store = store
        return store
      })
    defer { server.stop() }
    let store = try #require(box.store)
    let port = try #require(server.server.boundBotsListenerPort)
    let maria = try server.registered("maria")
    _ = try maria.join("#announcements")

    store.fail(true)
    let bot = try LineSocket(port: port)
    try bot.send("seminarbot:\(token) #announcements Lost?")
    #expect(
      try bot.answer()
        == "ERROR TEMPORARILY_UNAVAILABLE Message could not be kept; not delivered")
    #expect(try maria.sync().with("PRIVMSG").isEmpty)
    store.fail(false)
    try bot.send("seminarbot:\(token) #announcements Kept.")
    #expect(try bot.answer().hasPrefix("OK "))
    #expect(try maria.expect("PRIVMSG").trailing == "Kept.")
  }

  @Test func refusedLinesAreAnsweredInOrderAndPostNothing() throws {
    let (server, token, port) = try Self.server()
    defer { server.stop() }
    let maria = try server.registered("maria")
    _ = try maria.join("#quiet")
    try maria.send("MODE #quiet +m")
    _ = try maria.sync()

    let bot = try LineSocket(port: port)
    try bot.send("seminarbot:lyc_not-the-token #quiet hello")
    try bot.send("just some words")
    try bot.send("seminarbot:\(token) #quiet Is this thing on?")
    try bot.send("seminarbot:\(token) #nowhere anyone?")
    try bot.send("seminarbot:\(token) maria A direct word")
    #expect(try bot.answer() == "ERROR authentication failed")
    #expect(try bot.answer() == "ERROR usage: ACCOUNT:TOKEN TARGET TEXT")
    #expect(try bot.answer() == "ERROR 404 #quiet Cannot send to channel (+m)")
    #expect(try bot.answer() == "ERROR 401 #nowhere No such nick/channel")
    #expect(try bot.answer().hasPrefix("OK "))
    // maria saw the direct message and nothing of the refused ones.
    let seen = try maria.sync().with("PRIVMSG")
    #expect(seen.map(\.trailing) == ["A direct word"])
  }

  @Test func linesPerSecondConnectionsAndIdleTimeAreBounded() throws {
    let (server, token, port) = try Self.server {
      $0.linesPerSecond = 2
      $0.maxConnections = 1
      $0.idleTimeout = .seconds(1)
    }
    defer { server.stop() }
    let bot = try LineSocket(port: port)
    let line = "seminarbot:\(token) #lobby hello"
    try bot.send([line, line, line].joined(separator: "\n"))
    #expect(try bot.answer().hasPrefix("OK "))
    #expect(try bot.answer().hasPrefix("OK "))
    #expect(try bot.answer() == "ERROR too many lines: at most 2 a second")

    let second = try LineSocket(port: port)
    #expect(try second.answer().contains("too many connections"))

    // Idle for a second: told so, then closed.
    #expect(try bot.answer().hasPrefix("ERROR idle"))
    #expect(bot.socket.seesEnd(within: .seconds(5)))
  }
}

/// A plain TCP client for the bots' listener: what `nc 127.0.0.1 PORT` is to a script.
private final class LineSocket {
  let socket: RawSocket
  private var buffer: [UInt8] = []

  init(port: Int) throws {
    socket = try RawSocket(to: port)
  }

  func send(_ line: String) throws {
    try socket.write(Array((line + "\n").utf8))
  }

  /// The next answer line, without its line feed; fails after 5 s without one.
  func answer() throws -> String {
    let deadline = ContinuousClock.now + .seconds(5)
    while true {
      if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeSubrange(...end)
        return line
      }
      guard ContinuousClock.now < deadline else {
        throw HarnessFailure(description: "no answer line; got \(buffer.count) bytes")
      }
      buffer += socket.readSome(timeout: .seconds(1))
    }
  }
}
