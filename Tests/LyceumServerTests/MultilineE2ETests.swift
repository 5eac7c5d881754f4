import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `draft/multiline` over TLS with the SQLite store: a batch delivered in both forms, kept as
/// one message, and replayed in both forms after a restart.
@Suite struct MultilineE2ETests {
  static let multilineCaps = historyCaps + ["echo-message", "draft/multiline"]

  @Test func aMultilineMessageIsDeliveredKeptAndReplayedAfterARestart() throws {
    let server = try TestServer(HistoryE2ETests.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: Self.multilineCaps)
    let bob = try server.registered("bob", caps: Self.multilineCaps)
    let carol = try server.registered("carol", caps: [])
    try alice.registerAccount()
    try alice.join("#ml")
    try bob.join("#ml")
    try carol.join("#ml")
    try alice.sync()
    try bob.sync()
    try alice.send("BATCH +p draft/multiline #ml")
    try alice.send("@batch=p PRIVMSG #ml :def mean(xs):")
    try alice.send("@batch=p PRIVMSG #ml :    return sum(xs) / len(xs)")
    try alice.send("@batch=p PRIVMSG #ml :")
    try alice.send("@batch=p PRIVMSG #ml :(from the ")
    try alice.send("@batch=p;draft/multiline-concat PRIVMSG #ml :stats notes)")
    try alice.send("BATCH -p")
    let echo = try alice.readUntil("the end of the echo") {
      $0.command == "BATCH" && $0.params.first?.hasPrefix("-") == true
    }
    let msgid = try #require(echo.first { $0.command == "BATCH" }?.tagValue("msgid"))

    let toBob = try bob.readUntil("the end of the batch") {
      $0.command == "BATCH" && $0.params.first?.hasPrefix("-") == true
    }
    let opening = try #require(toBob.first { $0.command == "BATCH" })
    #expect(opening.params.dropFirst() == ["draft/multiline", "#ml"])
    #expect(opening.tagValue("msgid") == msgid)
    #expect(
      toBob.with("PRIVMSG").map(\.trailing) == [
        "def mean(xs):", "    return sum(xs) / len(xs)", "", "(from the ", "stats notes)",
      ])

    try carol.send("PING sync")
    let toCarol = try carol.readUntil("PONG") { $0.command == "PONG" }
    #expect(
      toCarol.with("PRIVMSG").map(\.trailing) == [
        "def mean(xs):", "    return sum(xs) / len(xs)", "(from the ", "stats notes)",
      ])
    #expect(toCarol.with("BATCH").isEmpty)

    let restarted = try server.restarted(configure: HistoryE2ETests.unthrottled)
    defer { restarted.stop() }
    let dave = try restarted.registered("dave", caps: Self.multilineCaps)
    try dave.join("#ml")
    let capable = try dave.chathistory("LATEST #ml * 10")
    let nested = capable.read.filter { $0.command == "BATCH" && $0.params.count >= 2 }
    #expect(nested.map { $0.params[1] } == ["chathistory", "draft/multiline"])
    #expect(nested.last?.tagValue("msgid") == msgid)
    let innerID = String(nested.last?.params[0].dropFirst() ?? "")
    #expect(
      capable.read.filter { $0.tagValue("batch") == innerID }.map(\.trailing) == [
        "def mean(xs):", "    return sum(xs) / len(xs)", "", "(from the ", "stats notes)",
      ])

    let erin = try restarted.registered("erin", caps: historyCaps)
    try erin.join("#ml")
    let plain = try erin.chathistory("LATEST #ml * 10")
    #expect(
      plain.texts == [
        "def mean(xs):", "    return sum(xs) / len(xs)", "(from the ", "stats notes)",
      ])
    #expect(plain.messages.first?.tagValue("msgid") == msgid)
  }
}
