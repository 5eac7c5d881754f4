import LyceumProtocol
import Testing

@testable import LyceumCore

/// Text that fit the 510 bytes a client may send is cut so that the relayed line, with the
/// server's `:nick!user@host` source, fits too; what is kept (and replayed) is what was relayed.
@Suite("Relayed and replayed lines fit 512 bytes")
struct LineLengthTests {
  /// Mixed one- to four-byte characters, and a character of two code points (`e` + accent).
  static let unit = "aé€😀e\u{301}"

  /// A core with history on; a sender with a 30-byte nick and an 18-byte user name, and a
  /// reader, both in #lab.
  private final class Rig {
    let h = CoreHarness {
      $0.historyEnabled = true
      $0.limits.replayOnJoin = 10
    }
    let store = InMemoryHistoryStore()
    let sender: ClientID
    let reader: ClientID
    static let nick = String(repeating: "n", count: 30)

    init() {
      sender = h.register(nick: Self.nick, user: String(repeating: "u", count: 18))
      reader = h.register(nick: "reader", caps: ["batch", "draft/chathistory", "message-tags"])
      h.send("JOIN #lab", from: sender)
      h.send("JOIN #lab", from: reader)
      answerAll()  // the replays on join, which hold the joiners' next lines until answered
      _ = h.lines(for: sender)
      _ = h.lines(for: reader)
    }

    /// `command` with `text` filling the line to 510 bytes.
    func send(_ head: String) -> String {
      let room = 510 - head.utf8.count
      var text = ""
      while text.utf8.count + LineLengthTests.unit.utf8.count <= room {
        text += LineLengthTests.unit
      }
      h.send(head + text, from: sender)
      return text
    }

    func answerAll() {
      try? store.append(h.takeKept())
      for request in h.historyRequests() {
        h.answer(request.run(on: store), for: request.connection)
      }
    }
  }

  /// The body (without tags) of a wire line.
  static func body(_ line: String) -> Substring {
    guard line.hasPrefix("@"), let space = line.firstIndex(of: " ") else { return Substring(line) }
    return line[line.index(after: space)...]
  }

  /// Checks a relayed line: it fits, its text is a whole-character prefix of what was sent.
  static func checkFits(_ line: String?, sent: String, full: Bool = true, _ comment: Comment) {
    guard let line else {
      Issue.record("nothing relayed: \(comment)")
      return
    }
    #expect(body(line).utf8.count <= 510, comment)
    // Cut only as far as needed (TOPICLEN and KICKLEN cut topics and reasons to 390 first).
    if full { #expect(body(line).utf8.count > 490, comment) }
    let text = (try? IRCMessage(parsing: line))?.params.last ?? ""
    #expect(sent.hasPrefix(text) && text.count < sent.count, comment)
    #expect(!text.unicodeScalars.contains("\u{FFFD}"), comment)
  }

  @Test(arguments: ["PRIVMSG #lab :", "NOTICE #lab :", "TOPIC #lab :", "PART #lab :"])
  func relayedTextIsCutAndKeptAsRelayed(_ head: String) {
    let rig = Rig()
    let sent = rig.send(head)
    let relayed = rig.h.lines(for: rig.reader).last
    Self.checkFits(
      relayed, sent: sent, full: head.hasPrefix("PRIVMSG") || head.hasPrefix("NOTICE"), "\(head)")
    let kept = rig.h.takeKept().last
    let relayedParams = relayed.flatMap { try? IRCMessage(parsing: $0) }?.params
    #expect(kept?.params == relayedParams)
  }

  @Test func kickReasonIsCut() {
    let rig = Rig()
    rig.h.send("MODE #lab +o \(Rig.nick)", from: rig.sender)
    let victim = rig.h.register(nick: "v")
    rig.h.send("JOIN #lab", from: victim)
    rig.answerAll()
    _ = rig.h.lines(for: rig.reader)
    let sent = rig.send("KICK #lab v :")
    Self.checkFits(rig.h.lines(for: rig.reader).last, sent: sent, full: false, "KICK")
  }

  @Test func quitReasonIsCut() {
    let rig = Rig()
    let sent = "Quit: " + rig.send("QUIT :")
    Self.checkFits(rig.h.lines(for: rig.reader).last, sent: sent, full: false, "QUIT")
  }

  @Test func awayMessageFitsAsAwayNotify() {
    let rig = Rig()
    let watcher = rig.h.register(nick: "w", caps: ["away-notify"])
    rig.h.send("JOIN #lab", from: watcher)
    rig.answerAll()
    _ = rig.h.lines(for: watcher)
    let long = String(repeating: Self.unit, count: 100)
    rig.h.send("AWAY :" + long, from: rig.sender)
    let line = rig.h.lines(for: watcher).last ?? ""
    #expect(Self.body(line).utf8.count <= 510)
    #expect(rig.h.client(rig.sender).awayMessage == (try? IRCMessage(parsing: line))?.params.last)
  }

  /// CHATHISTORY and the replay on join send what was relayed, byte for byte.
  @Test func replaysAreTheRelayedLines() {
    let rig = Rig()
    let sent = rig.send("PRIVMSG #lab :")
    let relayed = rig.h.lines(for: rig.reader).last.map { String(Self.body($0)) }
    rig.h.send("CHATHISTORY LATEST #lab * 10", from: rig.reader)
    rig.answerAll()
    let history = rig.h.lines(for: rig.reader).filter { $0.contains(" PRIVMSG ") }
    #expect(history.count == 1)
    #expect(history.map { String(Self.body($0)) } == [relayed ?? ""])
    Self.checkFits(history.first, sent: sent, "CHATHISTORY")

    let late = rig.h.register(nick: "late", caps: ["server-time"])
    let plain = rig.h.register(nick: "plain")
    for id in [late, plain] { rig.h.send("JOIN #lab", from: id) }
    rig.answerAll()
    let replayed = rig.h.lines(for: late).filter { $0.contains(" PRIVMSG ") }
    #expect(replayed.map { String(Self.body($0)) } == [relayed ?? ""])
    // Without server-time the replay shows the time in the text, and is cut again to fit.
    let stamped = rig.h.lines(for: plain).first { $0.contains(" PRIVMSG ") } ?? ""
    #expect(Self.body(stamped).utf8.count <= 510)
    #expect(Self.body(stamped).utf8.count > 490)
    #expect(stamped.contains(" :[20"))
  }

  /// An entry kept before the rule (longer than a line) is cut when replayed.
  @Test func overlongEntryKeptEarlierIsCutOnReplay() throws {
    let rig = Rig()
    let text = String(repeating: Self.unit, count: 60)
    let floor = rig.h.channel("#lab").createdAtMilliseconds
    try rig.store.append([
      HistoryEntry(
        msgid: "old", timeMilliseconds: floor + 1, target: .channel("#lab"), command: "PRIVMSG",
        source: "\(Rig.nick)!uuu@host", account: nil, params: ["#lab", text])
    ])
    rig.h.send("CHATHISTORY LATEST #lab * 10", from: rig.reader)
    rig.answerAll()
    let line = rig.h.lines(for: rig.reader).first { $0.contains(" PRIVMSG ") }
    Self.checkFits(line, sent: text, "old entry")
  }
}
