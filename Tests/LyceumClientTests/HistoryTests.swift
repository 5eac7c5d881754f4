import LyceumClient
import LyceumProtocol
import Testing

@Suite struct HistoryTests {
  typealias H = SessionHarness

  /// A chathistory batch for `#lab` with messages `ids` at seconds `ids`.
  static func batch(_ id: String, _ target: String, _ seconds: [Int]) -> [String] {
    [":srv BATCH +\(id) chathistory \(target)"]
      + seconds.map {
        "@batch=\(id);time=\(H.at($0));msgid=m\($0) :bob!b@h PRIVMSG \(target) :line \($0)"
      } + [":srv BATCH -\(id)"]
  }

  mutating func joined(_ harness: inout SessionHarness) {
    harness.register()
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End of /NAMES list")
  }

  @Test func joiningFetchesTheLatestPageAndShowsIt() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register()
    let sent = harness.server(":ada!a@h JOIN #lab")
    #expect(sent == ["CHATHISTORY LATEST #lab * 100"])
    for line in Self.batch("b1", "#lab", [1, 2, 3]) { harness.server(line) }
    #expect(harness.buffer("#lab")?.lines.map(\.text) == ["line 1", "line 2", "line 3"])
    #expect(harness.buffer("#lab")?.history.reachedStart == true)
    #expect(harness.session.buffers.activeKey == BufferKey(target: "#lab"))
  }

  @Test func scrollingUpAsksForTheOlderPageOnceAndStopsAtTheStart() {
    var harness = H(SessionConfiguration(nick: "ada", historyPageSize: 3))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    for line in Self.batch("b1", "#lab", [7, 8, 9]) { harness.server(line) }
    harness.record(harness.session.requestOlderHistory())
    #expect(harness.sent.last == "CHATHISTORY BEFORE #lab msgid=m7 3")
    // A second scroll while the page is on its way asks nothing more.
    let count = harness.sent.count
    harness.record(harness.session.requestOlderHistory())
    #expect(harness.sent.count == count)
    for line in Self.batch("b2", "#lab", [5, 6]) { harness.server(line) }
    #expect(harness.buffer("#lab")?.lines.map(\.time).count == 5)
    #expect(harness.buffer("#lab")?.lines.first?.text == "line 5")
    #expect(harness.buffer("#lab")?.history.reachedStart == true)
    harness.record(harness.session.requestOlderHistory())
    #expect(harness.sent.count == count + 0)
  }

  @Test func reconnectFillsTheGapWithAfterPagesAndNoDuplicates() {
    var harness = H(SessionConfiguration(nick: "ada", channels: ["#lab"], historyPageSize: 2))
    harness.register()
    harness.server(":ada!a@h JOIN #lab")
    for line in Self.batch("b1", "#lab", [1, 2]) { harness.server(line) }
    // Live line, then the connection drops.
    harness.server("@time=\(H.at(3));msgid=m3 :bob!b@h PRIVMSG #lab :line 3")
    harness.session.connectionLost(reason: "reset", now: harness.now)
    harness.record(harness.session.connectionOpened(now: harness.now))
    harness.register()
    #expect(harness.sent.contains("JOIN #lab"))
    let afterJoin = harness.server(":ada!a@h JOIN #lab")
    #expect(afterJoin == ["CHATHISTORY AFTER #lab msgid=m3 2"])
    // A full page: the client asks for the next one after its last line.
    let next = Self.batch("b2", "#lab", [4, 5]).flatMap { harness.server($0) }
    #expect(next == ["CHATHISTORY AFTER #lab msgid=m5 2"])
    // A live line arrives meanwhile, and the last page repeats it: shown once.
    harness.server("@time=\(H.at(6));msgid=m6 :bob!b@h PRIVMSG #lab :line 6")
    let last = Self.batch("b3", "#lab", [6]).flatMap { harness.server($0) }
    #expect(last == [])
    #expect(
      harness.buffer("#lab")?.lines.filter { $0.kind == .message }.map(\.text) == [
        "line 1", "line 2", "line 3", "line 4", "line 5", "line 6",
      ])
    #expect(harness.buffer("#lab")?.history.isFillingGap == false)
  }

  @Test func directConversationsComeBackThroughTargets() {
    var harness = H(
      SessionConfiguration(nick: "ada", login: .plain(account: "ada", secret: "pw")))
    harness.server(":srv CAP * LS :\(H.allCaps)")
    harness.server(":srv CAP ada ACK :\(H.allCaps.replacingSASLValue())", "AUTHENTICATE +")
    harness.server(":srv 900 ada ada!a@h ada :logged in", ":srv 903 ada :ok")
    let sent = harness.server(":srv 001 ada :Welcome")
    #expect(sent.contains { $0.hasPrefix("CHATHISTORY TARGETS timestamp=") })
    let fetch = [
      ":srv BATCH +t1 draft/chathistory-targets",
      "@batch=t1 :srv CHATHISTORY TARGETS bob \(H.at(5))",
      "@batch=t1 :srv CHATHISTORY TARGETS #lab \(H.at(6))",
      ":srv BATCH -t1",
    ].flatMap { harness.server($0) }
    #expect(fetch == ["MARKREAD bob", "CHATHISTORY LATEST bob * 100"])
    #expect(harness.buffer("bob")?.kind == .direct)
    #expect(harness.buffer("#lab") == nil)
  }
}

extension String {
  /// The capability list as a client would request it (values dropped).
  func replacingSASLValue() -> String {
    split(separator: " ").map { $0.split(separator: "=").first.map(String.init) ?? "" }
      .joined(separator: " ")
  }
}
