import LyceumClient
import LyceumProtocol
import Testing

@Suite struct MultilineTests {
  typealias H = SessionHarness
  static let caps = H.allCaps + " draft/multiline=max-bytes=4096,max-lines=100"

  func joined(caps: String = Self.caps) -> SessionHarness {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.register(caps: caps)
    harness.server(":ada!a@h JOIN #lab", ":srv 366 ada #lab :End")
    return harness
  }

  /// The example of PROTOCOL.md § BATCH: three lines, the third continuing the second.
  static func abstract(_ ref: String, parent: String? = nil, id: String = "m1") -> [String] {
    let outer = parent.map { "batch=\($0);" } ?? ""
    return [
      "@\(outer)time=\(H.at(5));msgid=\(id) :bob!b@h BATCH +\(ref) draft/multiline #lab",
      "@batch=\(ref) :bob!b@h PRIVMSG #lab :Abstract:",
      "@batch=\(ref) :bob!b@h PRIVMSG #lab :we study\u{20}",
      "@batch=\(ref);draft/multiline-concat :bob!b@h PRIVMSG #lab :bees.",
      ":bob!b@h BATCH -\(ref)",
    ]
  }

  @Test func asksForMultilineWhenOffered() {
    var harness = H(SessionConfiguration(nick: "ada"))
    harness.server(":srv CAP * LS :\(Self.caps)")
    #expect(harness.sent.last?.contains("draft/multiline") == true)
  }

  @Test func aLiveMultilineBatchIsOneMessage() {
    var harness = joined()
    for line in Self.abstract("b7") { harness.server(line) }
    let messages = harness.buffer("#lab")!.lines.filter { $0.kind == .message }
    #expect(messages.count == 1)
    #expect(messages.first?.text == "Abstract:\nwe study bees.")
    #expect(messages.first?.msgid == "m1" && messages.first?.sender == "bob")
    #expect(messages.first?.time == 1_764_000_005_000)
  }

  @Test func aMultilineBatchNestedInHistoryIsOneMessageInItsPlace() {
    var harness = joined()
    let lines =
      [":srv BATCH +h chathistory #lab"]
      + ["@batch=h;time=\(H.at(1));msgid=m0 :eve!e@h PRIVMSG #lab :before"]
      + Self.abstract("b8", parent: "h")
      + ["@batch=h;time=\(H.at(9));msgid=m2 :eve!e@h PRIVMSG #lab :after", ":srv BATCH -h"]
    for line in lines { harness.server(line) }
    let texts = harness.buffer("#lab")!.lines.filter { $0.kind == .message }.map(\.text)
    #expect(texts == ["before", "Abstract:\nwe study bees.", "after"])
    // It came as part of the page (counted in it), not as a live line (no WHOIS for it).
    #expect(harness.events.contains(.historyLoaded(target: "#lab", count: 3)))
    #expect(!harness.sent.contains("WHOIS bob"))
  }

  @Test func aConfirmedPasteIsSentAsOneBatchAndItsEchoShowsOnce() {
    var harness = joined()
    harness.record(
      harness.session.paste(["first line", "", "/not a command", ""], now: harness.now))
    let sent = Array(harness.sent.suffix(5))
    #expect(sent.first?.hasSuffix("BATCH +ml2 draft/multiline #lab") == true)
    #expect(sent.first?.hasPrefix("@label=l1 ") == true)
    #expect(
      Array(sent[1...3]) == [
        "@batch=ml2 PRIVMSG #lab :first line", "@batch=ml2 PRIVMSG #lab :",
        "@batch=ml2 PRIVMSG #lab :/not a command",
      ])
    #expect(sent.last == "BATCH -ml2")
    // The echo is the batch: one message, and the label is answered.
    harness.server(
      "@label=l1;time=\(H.at(3));msgid=e1 :ada!a@h BATCH +x draft/multiline #lab",
      "@batch=x :ada!a@h PRIVMSG #lab :first line", "@batch=x :ada!a@h PRIVMSG #lab :",
      "@batch=x :ada!a@h PRIVMSG #lab :/not a command", ":ada!a@h BATCH -x")
    let messages = harness.buffer("#lab")!.lines.filter { $0.kind == .message }
    #expect(messages.map(\.text) == ["first line\n\n/not a command"])
    #expect(messages.first?.isSelf == true)
    #expect(harness.events.contains(.labelAnswered(label: "l1", accepted: true, reason: "")))
  }

  @Test func aLongLineIsCutIntoConcatenatedPieces() {
    var harness = joined()
    let long = String(repeating: "x", count: 700)
    harness.record(harness.session.paste(["short", long], now: harness.now))
    let pieces = harness.sent.filter { $0.hasPrefix("@batch=") }
    #expect(pieces.count == 3)
    #expect(pieces[2].hasPrefix("@batch=ml2;draft/multiline-concat PRIVMSG #lab :"))
    #expect(pieces.dropFirst().map { $0.split(separator: ":").last!.count }.reduce(0, +) == 700)
  }

  @Test func pastLimitsOrWithoutTheCapabilityLinesAreSentOneByOne() {
    var small = joined(caps: H.allCaps + " draft/multiline=max-bytes=10,max-lines=100")
    small.record(small.session.paste(["0123456", "789"], now: small.now))
    #expect(!small.sent.contains { $0.contains("BATCH") })
    #expect(small.sent.filter { $0.contains("PRIVMSG #lab") }.count == 2)
    var few = joined(caps: H.allCaps + " draft/multiline=max-bytes=4096,max-lines=2")
    few.record(few.session.paste(["a", "b", "c"], now: few.now))
    #expect(!few.sent.contains { $0.contains("BATCH") })
    var none = joined(caps: H.allCaps)
    none.record(none.session.paste(["a", "b"], now: none.now))
    #expect(
      none.sent.suffix(2).allSatisfy { $0.hasSuffix("PRIVMSG #lab :a") || $0.hasSuffix(":b") })
    #expect(!none.sent.contains { $0.contains("BATCH") })
  }

  @Test func withoutEchoThePasteShowsAsOneMessageAtOnce() {
    let caps = Self.caps.replacingOccurrences(of: "echo-message ", with: "")
    var harness = joined(caps: caps)
    harness.record(harness.session.paste(["one", "two"], now: harness.now))
    let messages = harness.buffer("#lab")!.lines.filter { $0.kind == .message }
    #expect(messages.map(\.text) == ["one\ntwo"])
  }

  @Test func aHostileBatchIsBoundedAndNeverCrashes() {
    var harness = joined()
    harness.server("@msgid=z :bob!b@h BATCH +z draft/multiline #lab")
    let line = "@batch=z :bob!b@h PRIVMSG #lab :" + String(repeating: "y", count: 400)
    for _ in 0..<2_000 { harness.server(line) }
    harness.server(":bob!b@h BATCH -z")
    let message = harness.buffer("#lab")!.lines.last { $0.kind == .message }
    #expect(message.map { $0.text.utf8.count <= IRCSession.maximumMultilineBytes + 10 } == true)
    #expect(message?.text.hasSuffix("[…]") == true)
    // A batch closed without lines leaves nothing behind.
    harness.server(":bob!b@h BATCH +e draft/multiline #lab", ":bob!b@h BATCH -e")
    #expect(harness.buffer("#lab")!.lines.filter { $0.kind == .message }.count == 1)
  }
}
