import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Replay on join and read markers over real TLS, with the SQLite stores behind them.
@Suite struct ReadMarkerReplayE2ETests {
  /// A netcat-style client (no CAP at all, over TLS as with `ncat --ssl`) joins a channel with
  /// history and gets its last messages between the two marker notices, with visible times.
  @Test func plainClientJoiningGetsMarkedReplay() throws {
    let server = try TestServer { $0.history.enabled = true }
    defer { server.stop() }
    let carol = try server.registered("carol", caps: ["draft/chathistory", "server-time"])
    try carol.join("#lab")
    for text in ["first result", "second result", "\u{1}ACTION cheers\u{1}"] {
      try carol.send("PRIVMSG #lab :\(text)")
    }
    try carol.sync()

    let nc = try server.registered("nc")
    try nc.send("JOIN #lab")
    try nc.send("PRIVMSG #lab :hi all")
    let seen = try nc.sync()
    let commands = seen.map(\.command)
    #expect(commands.first == "JOIN")
    guard let end = commands.firstIndex(of: "366"), let start = commands.firstIndex(of: "NOTICE")
    else {
      Issue.record("no names or replay: \(seen)")
      return
    }
    #expect(end < start, "the replay comes after the JOIN burst")
    let replay = Array(seen[start...])
    #expect(replay.first?.source == "test.lyceum.local")
    #expect(replay.first?.params == ["#lab", "--- Last 3 messages of #lab ---"])
    #expect(replay.last?.params == ["#lab", "--- End of history ---"])
    let lines = replay.dropFirst().dropLast()
    #expect(lines.map(\.command) == ["PRIVMSG", "PRIVMSG", "PRIVMSG"])
    #expect(lines.allSatisfy { $0.sourceNick == "carol" && $0.tags.isEmpty })
    let texts = lines.map(\.trailing)
    let stamp = #/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}\] /#
    #expect(texts[texts.startIndex].contains(stamp), "\(texts)")
    #expect(texts[texts.startIndex].hasSuffix("] first result"))
    #expect(texts.last?.hasPrefix("\u{1}ACTION [") == true)
    // nc's own message went out after its replay, and reached carol.
    let heard = try carol.expect("PRIVMSG") { $0.sourceNick == "nc" }
    #expect(heard.trailing == "hi all")

    // A channel with no history: nothing replayed.
    let quiet = try nc.join("#quiet")
    #expect(!quiet.contains { $0.command == "NOTICE" }, "\(quiet)")
  }

  /// Two sessions of one account: a marker set on one reaches the other; after a restart the
  /// marker comes back from SQLite, on JOIN and on asking.
  @Test func markReadSyncsAcrossSessionsAndSurvivesRestart() throws {
    let password = "read-it-all"
    var server = try TestServer(
      prepare: { directory in
        try AccountSeed.account(directory, "alice", AccountSettings(password: password))
      },
      configure: { $0.history.enabled = true })
    defer { server.stop() }
    let caps = ["draft/read-marker", "draft/chathistory"]
    let laptop = try server.connect(name: "laptop")
    try laptop.registerWithPlain(nick: "alice", account: "alice", password: password, caps: caps)
    let phone = try server.connect(name: "phone")
    try phone.registerWithPlain(nick: "alice2", account: "alice", password: password, caps: caps)

    let joined = try laptop.join("#lab")
    #expect(joined.with("MARKREAD").first?.params == ["#lab", "*"])
    let time = "timestamp=2024-03-01T12:00:00.000Z"
    try laptop.send("MARKREAD #lab \(time)")
    #expect(try laptop.expect("MARKREAD").params == ["#lab", time])
    // The phone saw the laptop's JOIN with the (empty) marker, then the moved one.
    #expect(try phone.expect("MARKREAD").params == ["#lab", "*"])
    #expect(try phone.expect("MARKREAD").params == ["#lab", time])
    // Older: the stored value comes back, to the sender only.
    try phone.send("MARKREAD #lab timestamp=2024-01-01T00:00:00.000Z")
    #expect(try phone.expect("MARKREAD").params == ["#lab", time])
    #expect(try laptop.sync().with("MARKREAD").isEmpty)

    server = try server.restarted { $0.history.enabled = true }
    let again = try server.connect(name: "again")
    try again.registerWithPlain(nick: "alice", account: "alice", password: password, caps: caps)
    let rejoined = try again.join("#lab")
    #expect(rejoined.with("MARKREAD").first?.params == ["#lab", time])
    try again.send("MARKREAD #LAB")
    #expect(try again.expect("MARKREAD").params == ["#LAB", time])
  }
}
