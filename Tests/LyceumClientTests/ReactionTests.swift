import LyceumClient
import LyceumProtocol
import Testing

@Suite struct ReactionTests {
  typealias H = SessionHarness

  func joined(caps: String = H.allCaps) -> SessionHarness {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register(caps: caps)
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End")
    harness.server(
      "@time=\(H.at(1));msgid=m1 :bob!b@h PRIVMSG #lab :results are in",
      "@time=\(H.at(2));msgid=m2 :eve!e@h PRIVMSG #lab :see the wiki")
    return harness
  }

  static func react(_ nick: String, _ emoji: String, to parent: String, id: String) -> String {
    "@time=\(H.at(5));msgid=\(id);+draft/react=\(emoji);+draft/reply=\(parent) :\(nick)!u@h TAGMSG #lab"
  }

  func counts(_ harness: SessionHarness, _ msgid: String) -> [String] {
    harness.buffer("#lab")?.reactions[msgid]?.entries.map { "\($0.emoji) \($0.senders.count)" }
      ?? []
  }

  @Test func reactionsAreCountedOncePerSenderAndPerMsgid() {
    var harness = joined()
    harness.server(
      Self.react("eve", "👍", to: "m1", id: "r1"), Self.react("fay", "👍", to: "m1", id: "r2"),
      Self.react("eve", "👍", to: "m1", id: "r3"), Self.react("eve", "🎉", to: "m1", id: "r4"),
      Self.react("fay", "👍", to: "m1", id: "r2"))
    #expect(counts(harness, "m1") == ["👍 2", "🎉 1"])
    #expect(counts(harness, "m2").isEmpty)
    // A TAGMSG that is not a reaction (typing) counts nothing and shows nothing.
    let lines = harness.buffer("#lab")!.lines.count
    harness.server("@+typing=active :eve!e@h TAGMSG #lab")
    #expect(harness.buffer("#lab")!.lines.count == lines)
  }

  @Test func reactionsFromAHistoryPageAreCounted() {
    var harness = joined()
    harness.server(":srv BATCH +h chathistory #lab")
    harness.server("@batch=h;" + Self.react("eve", "👍", to: "m2", id: "r1").dropFirst())
    harness.server(":srv BATCH -h")
    harness.server(Self.react("eve", "👍", to: "m2", id: "r1"))
    #expect(counts(harness, "m2") == ["👍 1"])
  }

  @Test func aDeletedReactionNoLongerCounts() {
    var harness = joined()
    harness.server(
      Self.react("eve", "👍", to: "m1", id: "r1"), Self.react("fay", "👍", to: "m1", id: "r2"))
    harness.server(":eve!e@h REDACT #lab r1")
    #expect(counts(harness, "m1") == ["👍 1"])
    harness.server(":fay!f@h REDACT #lab r2")
    #expect(harness.buffer("#lab")?.reactions["m1"] == nil)
  }

  @Test func slashReactSendsATagmsgToTheLastOrANumberedMessage() {
    var harness = joined()
    #expect(harness.type("/react 👍") == ["@+draft/react=👍;+draft/reply=m2 TAGMSG #lab"])
    #expect(harness.type("/react 2 🎉") == ["@+draft/react=🎉;+draft/reply=m1 TAGMSG #lab"])
    #expect(harness.type("/react").isEmpty)
  }

  @Test func withoutEchoOurReactionCountsAtOnce() {
    var harness = joined(caps: H.allCaps.replacingOccurrences(of: "echo-message ", with: ""))
    harness.type("/react 👍")
    #expect(counts(harness, "m2") == ["👍 1"])
  }

  @Test func aFloodOfReactionsStaysBounded() {
    var harness = joined()
    for index in 0..<200 {
      harness.server(Self.react("eve", "e\(index)", to: "m1", id: "x\(index)"))
    }
    harness.server(Self.react("eve", "a\u{01}b\\sc", to: "m2", id: "y"))
    #expect((harness.buffer("#lab")?.reactions["m1"]?.entries.count ?? 0) <= 20)
    #expect(counts(harness, "m2") == ["abc 1"])
  }
}
