import LyceumClient
import LyceumProtocol
import Testing

@Suite struct ClientSearchTests {
  typealias H = SessionHarness

  private func registered(caps: String = H.allCaps + " soju.im/search") -> H {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register(caps: caps)
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End of /NAMES list")
    return harness
  }

  @Test func theCapabilityIsRequestedAndSearchSendsEscapedAttributes() {
    var harness = registered()
    #expect(harness.session.enabledCapabilities.contains("soju.im/search"))
    let sent = harness.type("/search the decision; final in:#lab from:bob")
    #expect(sent == ["SEARCH :in=#lab;from=bob;text=the\\sdecision\\:\\sfinal"])
  }

  @Test func withoutTheCapabilityItSaysSoAndSendsNothing() {
    var harness = registered(caps: H.allCaps)
    #expect(harness.type("/search decision").isEmpty)
    #expect(harness.buffer("*")?.lines.last?.text.contains("no search") == true)
  }

  @Test func resultsGoToTheirViewNewestFirstAndPageOn() {
    var harness = registered()
    harness.type("/search decision")
    harness.server(
      ":srv BATCH +s1 soju.im/search",
      "@batch=s1;time=\(H.at(1));msgid=m1 :bob!b@h PRIVMSG #lab :first decision",
      "@batch=s1;time=\(H.at(5));msgid=m5 :ada!a@h PRIVMSG bob :decision in a DM",
      ":srv BATCH -s1", ":srv NOTE SEARCH MORE_RESULTS 42 :More results")
    let view = harness.active
    #expect(view.kind == .search)
    let texts = view.lines.map(\.text)
    #expect(texts[0].hasPrefix("2 results for text=decision"))
    #expect(texts[1].hasPrefix("1. ") && texts[1].hasSuffix("bob <ada> decision in a DM"))
    #expect(texts[2].hasPrefix("2. ") && texts[2].hasSuffix("#lab <bob> first decision"))
    #expect(texts.last == "More results: /search more")
    #expect(harness.type("/search more") == ["SEARCH :text=decision;lyceum.chat/cursor=42"])
    harness.server(
      ":srv BATCH +s2 soju.im/search",
      "@batch=s2;time=\(H.at(0));msgid=m0 :bob!b@h PRIVMSG #lab :older decision",
      ":srv BATCH -s2")
    #expect(harness.session.searchHits.map(\.msgid) == ["m5", "m1", "m0"])
    #expect(harness.active.lines.map(\.text).last?.hasPrefix("3. ") == true)
    // No cursor now: nothing more to ask.
    #expect(harness.type("/search more").isEmpty)
  }

  @Test func gotoOpensTheRoomAndPagesBackUntilTheResultIsLoaded() {
    var harness = registered()
    for line in HistoryTests.batch("h1", "#lab", Array(10..<110)) { harness.server(line) }
    harness.type("/search line")
    harness.server(
      ":srv BATCH +s1 soju.im/search",
      "@batch=s1;time=\(H.at(3));msgid=m3 :bob!b@h PRIVMSG #lab :line 3",
      "@batch=s1;time=\(H.at(11));msgid=m11 :bob!b@h PRIVMSG #lab :line 11",
      ":srv BATCH -s1")
    // Result 1 (m11) is loaded: no request, and the screen is asked to scroll to it.
    let first = harness.type("/goto 1")
    #expect(!first.contains { $0.hasPrefix("CHATHISTORY") })
    #expect(harness.active.name == "#lab")
    #expect(
      harness.session.takeFocus() == MessageFocus(key: BufferKey(target: "#lab"), msgid: "m11"))
    // Result 2 (m3) is not: older pages until it is.
    let second = harness.type("/goto 2")
    #expect(second.contains("CHATHISTORY BEFORE #lab msgid=m10 100"))
    for line in HistoryTests.batch("h2", "#lab", [3, 4]) { harness.server(line) }
    #expect(harness.buffer("#lab")?.line(msgid: "m3") != nil)
    #expect(
      harness.session.takeFocus() == MessageFocus(key: BufferKey(target: "#lab"), msgid: "m3"))
    #expect(harness.type("/goto 9").isEmpty)
  }
}
