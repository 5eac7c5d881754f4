import LyceumProtocol
import Testing

@testable import LyceumCore

/// IRCv3 `draft/multiline`: client batches collected, checked and sent as one message, in a
/// batch to capable clients and as lines to the others; kept once and replayed in both forms.
@Suite("draft/multiline")
struct MultilineTests {
  static let full: CapabilitySet = [.batch, .messageTags, .multiline, .echoMessage, .serverTime]

  /// `ada` (full multiline client), `bob` (multiline), `cy` (nothing) in `#lab`.
  static func rig() -> (HistoryRig, ClientID, ClientID, ClientID) {
    let rig = HistoryRig(maxMessages: 50)
    let ada = rig.h.connectRegistered("ada", capabilities: full)
    let bob = rig.h.connectRegistered("bob", capabilities: [.batch, .messageTags, .multiline])
    let cy = rig.h.connectRegistered("cy")
    for id in [ada, bob, cy] { rig.h.place(id, in: "#lab") }
    for id in [ada, bob, cy] { _ = rig.h.lines(for: id) }
    return (rig, ada, bob, cy)
  }

  @Test func advertisedWithItsLimits() {
    let h = CoreHarness()
    let id = h.connect()
    let caps = h.exchange("CAP LS 302", from: id).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(caps.contains("draft/multiline=max-bytes=4096,max-lines=100"))
    #expect(caps.contains("draft/message-redaction"))
  }

  @Test func batchGoesToCapableClientsAndLinesToOthers() {
    let (rig, ada, bob, cy) = Self.rig()
    rig.h.send("@+draft/reply=x1 BATCH +m1 draft/multiline #lab", from: ada)
    rig.h.send("@batch=m1 PRIVMSG #lab :Abstract:", from: ada)
    rig.h.send("@batch=m1 PRIVMSG #lab :", from: ada)
    rig.h.send("@batch=m1 PRIVMSG #lab :we study ", from: ada)
    rig.h.send("@batch=m1;draft/multiline-concat PRIVMSG #lab :bees.", from: ada)
    #expect(rig.h.lines(for: bob).isEmpty)  // nothing before the batch ends
    rig.h.send("BATCH -m1", from: ada)
    let kept = rig.h.takeKept()
    #expect(kept.count == 1)
    #expect(kept.first?.params == ["#lab", "Abstract:\n\nwe study bees."])
    #expect(kept.first?.lines?.map(\.concatenates) == [false, false, false, true])

    let toBob = rig.h.messages(for: bob)
    #expect(toBob.commands == ["BATCH", "PRIVMSG", "PRIVMSG", "PRIVMSG", "PRIVMSG", "BATCH"])
    #expect(toBob[0].params.dropFirst() == ["draft/multiline", "#lab"])
    #expect(toBob[0].tag("msgid") == kept.first?.msgid)
    #expect(toBob[0].tag("+draft/reply") == "x1")
    let batchID = String(toBob[0].params[0].dropFirst())
    #expect(toBob[1...4].allSatisfy { $0.tag("batch") == batchID })
    #expect(toBob[4].tag("draft/multiline-concat") != nil)
    #expect(toBob[3].tag("draft/multiline-concat") == nil)
    #expect(toBob[5].params == ["-" + batchID])

    // Without the capability: no blank line, no batch, the msgid on the first line only.
    let toCy = rig.h.lines(for: cy)
    #expect(
      toCy == [
        ":ada!ada@198.51.100.7 PRIVMSG #lab :Abstract:",
        ":ada!ada@198.51.100.7 PRIVMSG #lab :we study ",
        ":ada!ada@198.51.100.7 PRIVMSG #lab :bees.",
      ])

    // The echo is the batch, the same msgid.
    let echo = rig.h.messages(for: ada)
    #expect(echo.first?.command == "BATCH")
    #expect(echo.first?.tag("msgid") == kept.first?.msgid)
  }

  @Test func fallbackLinesCarryTheMsgidOnTheFirstOnly() {
    let (rig, ada, _, _) = Self.rig()
    let dee = rig.h.connectRegistered("dee", capabilities: [.messageTags])
    rig.h.place(dee, in: "#lab")
    _ = rig.h.lines(for: dee)
    for line in [
      "BATCH +a draft/multiline #lab", "@batch=a PRIVMSG #lab one",
      "@batch=a PRIVMSG #lab two", "BATCH -a",
    ] {
      rig.h.send(line, from: ada)
    }
    let got = rig.h.messages(for: dee)
    #expect(got.commands == ["PRIVMSG", "PRIVMSG"])
    #expect(got[0].tag("msgid") != nil)
    #expect(got[1].tag("msgid") == nil)
  }

  @Test func labelGoesOnTheOpeningBatchOfTheEcho() {
    let (rig, ada, _, _) = Self.rig()
    rig.h.session(ada).capabilities.formUnion([.labeledResponse])
    rig.h.send("@label=L1 BATCH +a draft/multiline #lab", from: ada)
    #expect(rig.h.lines(for: ada).isEmpty)  // no ACK yet
    rig.h.send("@batch=a PRIVMSG #lab hello", from: ada)
    rig.h.send("BATCH -a", from: ada)
    let echo = rig.h.messages(for: ada)
    #expect(echo.commands == ["BATCH", "PRIVMSG", "BATCH"])
    #expect(echo[0].tag("label") == "L1")
    #expect(echo[1].tag("label") == nil)
  }

  @Test func errorsPerTheSpec() {
    let (rig, ada, bob, _) = Self.rig()
    rig.h.send("BATCH +t draft/multiline #lab", from: ada)
    let wrongTarget = rig.h.exchange("@batch=t PRIVMSG #other :x", from: ada)
    #expect(
      wrongTarget.first?.params == [
        "BATCH", "MULTILINE_INVALID_TARGET", "#lab", "#other",
        "Invalid multiline target",
      ])
    // The rest of a refused batch is dropped quietly, and nothing is sent.
    #expect(rig.h.exchange("@batch=t PRIVMSG #lab :y", from: ada).isEmpty)
    #expect(rig.h.exchange("BATCH -t", from: ada).isEmpty)
    #expect(rig.h.takeKept().isEmpty)
    #expect(rig.h.lines(for: bob).isEmpty)

    rig.h.send("BATCH +b draft/multiline #lab", from: ada)
    let long = String(repeating: "a", count: 400)
    var bytesReply: [IRCMessage] = []
    for _ in 0..<11 { bytesReply += rig.h.exchange("@batch=b PRIVMSG #lab :\(long)", from: ada) }
    #expect(bytesReply.map { $0.params.prefix(3) } == [["BATCH", "MULTILINE_MAX_BYTES", "4096"]])
    rig.h.send("BATCH -b", from: ada)

    rig.h.send("BATCH +c draft/multiline #lab", from: ada)
    var linesReply: [IRCMessage] = []
    for _ in 0..<101 { linesReply += rig.h.exchange("@batch=c PRIVMSG #lab :l", from: ada) }
    #expect(linesReply.map { $0.params.prefix(3) } == [["BATCH", "MULTILINE_MAX_LINES", "100"]])
    rig.h.send("BATCH -c", from: ada)

    rig.h.send("BATCH +d draft/multiline #lab", from: ada)
    let notice = rig.h.exchange("@batch=d NOTICE #lab :x", from: ada)
    #expect(notice.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])
    rig.h.send("BATCH -d", from: ada)

    rig.h.send("BATCH +e draft/multiline #lab", from: ada)
    rig.h.send("@batch=e PRIVMSG #lab :  ", from: ada)
    let blank = rig.h.exchange("BATCH -e", from: ada)
    #expect(blank.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])

    let unknown = rig.h.exchange("BATCH -zz", from: ada)
    #expect(unknown.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])
    let stray = rig.h.exchange("@batch=zz PRIVMSG #lab :x", from: ada)
    #expect(stray.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])
    let type = rig.h.exchange("BATCH +q netsplit a b", from: ada)
    #expect(type.first?.params.prefix(3) == ["BATCH", "UNKNOWN_TYPE", "netsplit"])
    let plain = rig.h.exchange(
      "BATCH +q draft/multiline #lab", from: rig.h.connectRegistered("zed"))
    #expect(plain.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])
    #expect(rig.h.takeKept().isEmpty)
    #expect(rig.h.lines(for: bob).isEmpty)
  }

  @Test func aBatchNeverClosedTimesOut() {
    let (rig, ada, bob, _) = Self.rig()
    rig.h.send("BATCH +a draft/multiline #lab", from: ada)
    rig.h.send("@batch=a PRIVMSG #lab :half", from: ada)
    _ = rig.h.lines(for: ada)
    rig.h.clock.advance(by: .seconds(31))
    rig.h.core.tick()
    let reply = rig.h.messages(for: ada).with("FAIL")
    #expect(reply.first?.params.prefix(2) == ["BATCH", "MULTILINE_INVALID"])
    #expect(rig.h.session(ada).multiline == nil)
    #expect(rig.h.lines(for: bob).isEmpty)
  }

  @Test func sendToMissingTargetIsRefusedLikePrivmsg() {
    let (rig, ada, _, _) = Self.rig()
    rig.h.send("BATCH +a draft/multiline nobody", from: ada)
    rig.h.send("@batch=a PRIVMSG nobody :x", from: ada)
    #expect(rig.h.exchange("BATCH -a", from: ada).commands == ["401"])
  }

  @Test func longLinesAreSplitIntoConcatenatedPiecesNotCut() {
    let (rig, ada, bob, cy) = Self.rig()
    let long = String(repeating: "é", count: 250)  // 500 bytes
    rig.h.send("BATCH +a draft/multiline #lab", from: ada)
    rig.h.send("@batch=a PRIVMSG #lab :\(long)", from: ada)
    rig.h.send("BATCH -a", from: ada)
    let kept = rig.h.takeKept()
    #expect(kept.first?.params.last == long)
    let toCy = rig.h.lines(for: cy)
    #expect(toCy.count == 2)
    for line in rig.h.lines(for: bob) + toCy {
      let untagged = line.hasPrefix("@") ? String(line.drop { $0 != " " }.dropFirst()) : line
      #expect(untagged.utf8.count <= 510)
    }
    let texts = toCy.compactMap { try? IRCMessage(parsing: $0) }.map { $0.params[1] }
    #expect(texts.joined() == long)
  }

  @Test func replayedAsABatchOrAsLines() {
    let (rig, ada, _, _) = Self.rig()
    for line in [
      "BATCH +a draft/multiline #lab", "@batch=a PRIVMSG #lab one",
      "@batch=a PRIVMSG #lab two", "BATCH -a",
    ] {
      rig.h.send(line, from: ada)
    }
    rig.persist()
    let capable = rig.h.connectRegistered("eve", capabilities: HistoryRig.full.union(.multiline))
    rig.h.place(capable, in: "#lab")
    let reply = rig.ask("CHATHISTORY LATEST #lab * 10", from: capable)
    #expect(reply.commands == ["BATCH", "BATCH", "PRIVMSG", "PRIVMSG", "BATCH", "BATCH"])
    let outer = String(reply[0].params[0].dropFirst())
    let inner = String(reply[1].params[0].dropFirst())
    #expect(reply[1].tag("batch") == outer)
    #expect(reply[2].tag("batch") == inner)
    #expect(reply[4].tag("batch") == outer)

    let plain = rig.h.connectRegistered("fay", capabilities: HistoryRig.full)
    rig.h.place(plain, in: "#lab")
    let lines = rig.ask("CHATHISTORY LATEST #lab * 10", from: plain)
    #expect(lines.commands == ["BATCH", "PRIVMSG", "PRIVMSG", "BATCH"])
    #expect(HistoryRig.texts(lines) == ["one", "two"])
  }

  @Test func linesOfAnOpenBatchCostNoFloodTokens() {
    let rig = HistoryRig(maxMessages: 50) { $0.commandFlood = CommandFloodLimits() }
    let ada = rig.h.connectRegistered("ada", capabilities: Self.full)
    let bob = rig.h.connectRegistered("bob")
    rig.h.place(ada, in: "#lab")
    rig.h.place(bob, in: "#lab")
    rig.h.send("BATCH +a draft/multiline #lab", from: ada)
    for index in 0..<60 { rig.h.send("@batch=a PRIVMSG #lab :line \(index)", from: ada) }
    rig.h.send("BATCH -a", from: ada)
    #expect(rig.h.messages(for: bob).count == 60)
  }
}
