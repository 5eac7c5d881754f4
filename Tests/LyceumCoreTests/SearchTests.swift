import LyceumProtocol
import Testing

@testable import LyceumCore

/// `SEARCH` (soju.im/search) in the core, answered from the in-memory store.
@Suite("SEARCH")
struct SearchTests {
  /// With `draft/chathistory`, so a `JOIN` asks for no replay the rig would have to answer.
  static let full: CapabilitySet = [
    .batch, .serverTime, .messageTags, .search, .accountTag, .chathistory,
  ]

  /// ada and bob in `#lab`, ada alone in `#office`; a few messages in each.
  private func lab() -> (HistoryRig, ada: ClientID, bob: ClientID) {
    let rig = HistoryRig(maxMessages: 50)
    let ada = rig.h.connectRegistered("ada", capabilities: Self.full)
    let bob = rig.h.connectRegistered("bob", capabilities: Self.full)
    rig.logIn(ada, as: "ada")
    rig.say("JOIN #lab", from: ada)
    rig.say("JOIN #lab", from: bob)
    rig.say("JOIN #office", from: ada)
    rig.say("PRIVMSG #lab :The decision: we submit on Friday", from: ada)
    rig.say("PRIVMSG #lab :lunch anyone?", from: bob)
    rig.say("PRIVMSG #office :budget decision pending", from: ada)
    rig.say("NOTICE #lab :Decision recorded", from: bob)
    return (rig, ada, bob)
  }

  private static func texts(_ reply: [IRCMessage]) -> [String] { HistoryRig.texts(reply) }

  @Test func capabilityIsOfferedOnlyWithHistory() {
    let rig = HistoryRig()
    let client = rig.h.connect()
    let caps = rig.h.exchange("CAP LS 302", from: client).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(caps.contains("soju.im/search"))
    let off = CoreHarness()
    let other = off.connect()
    let offCaps = off.exchange("CAP LS 302", from: other).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(!offCaps.contains("soju.im/search"))
    let zed = off.connectRegistered("zed")
    #expect(off.exchange("SEARCH text=x", from: zed).commands == ["421"])
  }

  @Test func findsMatchesInEveryReadableRoomInABatchWithTags() throws {
    let (rig, ada, _) = lab()
    let reply = rig.ask("SEARCH text=decision", from: ada)
    #expect(reply.commands == ["BATCH", "PRIVMSG", "PRIVMSG", "NOTICE", "BATCH"])
    #expect(Array(reply[0].params.dropFirst()) == ["soju.im/search"])
    // Oldest first within the batch, as the spec asks; each with time, msgid and account.
    #expect(
      Self.texts(reply) == [
        "The decision: we submit on Friday", "budget decision pending", "Decision recorded",
      ])
    let first = reply[1]
    #expect(first.tag("msgid") != nil)
    #expect(first.tag("time") != nil)
    #expect(first.tag("account") == .some("ada"))
    #expect(first.params[0] == "#lab")
  }

  @Test func searchesOnlyWhatTheSearcherMayRead() {
    let (rig, ada, bob) = lab()
    // bob is not in #office: neither a search everywhere nor in= shows it.
    #expect(
      Self.texts(rig.ask("SEARCH text=decision", from: bob)) == [
        "The decision: we submit on Friday", "Decision recorded",
      ])
    let refused = rig.ask("SEARCH in=#office;text=budget", from: bob)
    #expect(refused.commands == ["FAIL"])
    #expect(refused.first?.params.prefix(3) == ["SEARCH", "INVALID_PARAMS", "in"])
    // After leaving a room, its history is out of reach.
    rig.say("PART #lab", from: bob)
    #expect(Self.texts(rig.ask("SEARCH text=decision", from: bob)).isEmpty)
    #expect(Self.texts(rig.ask("SEARCH in=#office;text=budget", from: ada)).count == 1)
  }

  @Test func aRoomTakenOverLaterDoesNotShowTheEarlierOne() {
    let rig = HistoryRig()
    let eve = rig.h.connectRegistered("eve", capabilities: Self.full)
    rig.say("JOIN #hidden", from: eve)
    rig.say("PRIVMSG #hidden :the password is swordfish", from: eve)
    rig.say("PART #hidden", from: eve)
    let mallory = rig.h.connectRegistered("mallory", capabilities: Self.full)
    rig.say("JOIN #hidden", from: mallory)
    rig.say("PRIVMSG #hidden :is there a swordfish here?", from: mallory)
    #expect(
      Self.texts(rig.ask("SEARCH text=swordfish", from: mallory)) == [
        "is there a swordfish here?"
      ])
    #expect(
      Self.texts(rig.ask("SEARCH in=#hidden;text=password", from: mallory)).isEmpty)
  }

  @Test func directMessagesAreForTheirTwoAccountsOnly() {
    let rig = HistoryRig()
    let ada = rig.h.connectRegistered("ada", capabilities: Self.full)
    let bob = rig.h.connectRegistered("bob", capabilities: Self.full)
    let eve = rig.h.connectRegistered("eve", capabilities: Self.full)
    rig.logIn(ada, as: "ada")
    rig.logIn(bob, as: "bob")
    rig.logIn(eve, as: "eve")
    rig.say("PRIVMSG bob :the referee report is attached", from: ada)
    #expect(Self.texts(rig.ask("SEARCH text=referee", from: bob)).count == 1)
    #expect(Self.texts(rig.ask("SEARCH in=ada;text=referee", from: bob)).count == 1)
    #expect(Self.texts(rig.ask("SEARCH text=referee", from: ada)).count == 1)
    #expect(Self.texts(rig.ask("SEARCH text=referee", from: eve)).isEmpty)
    #expect(Self.texts(rig.ask("SEARCH in=ada;text=referee", from: eve)).isEmpty)
  }

  @Test func filtersBySenderTimeAndThread() throws {
    let (rig, ada, bob) = lab()
    #expect(
      Self.texts(rig.ask("SEARCH from=BOB", from: ada)) == ["lunch anyone?", "Decision recorded"])
    let root = try #require(rig.say("PRIVMSG #lab :thread on the proof", from: ada).first)
    let reply = try #require(
      rig.say("@+reply=\(root.msgid) PRIVMSG #lab :the proof holds", from: bob).first)
    rig.say("PRIVMSG #lab :another proof elsewhere", from: bob)
    let inThread = rig.ask(
      "SEARCH in=#lab;lyceum.chat/thread=\(root.msgid);text=proof", from: ada)
    #expect(Self.texts(inThread) == ["thread on the proof", "the proof holds"])
    let after = ServerTime.format(milliseconds: reply.timeMilliseconds)
    #expect(
      Self.texts(rig.ask("SEARCH text=proof;after=\(after)", from: ada)) == [
        "the proof holds", "another proof elsewhere",
      ])
    let before = ServerTime.format(milliseconds: root.timeMilliseconds)
    #expect(
      Self.texts(rig.ask("SEARCH text=proof;before=\(before)", from: ada)) == [
        "thread on the proof"
      ])
    let noIn = rig.ask("SEARCH lyceum.chat/thread=\(root.msgid)", from: ada)
    #expect(noIn.first?.params.prefix(3) == ["SEARCH", "INVALID_PARAMS", "lyceum.chat/thread"])
  }

  @Test func pagesNewestFirstWithACursor() throws {
    let rig = HistoryRig()
    let ada = rig.h.connectRegistered("ada", capabilities: Self.full)
    rig.say("JOIN #lab", from: ada)
    for index in 0..<5 { rig.say("PRIVMSG #lab :note \(index)", from: ada) }
    let first = rig.ask("SEARCH text=note;limit=2", from: ada)
    #expect(Self.texts(first) == ["note 3", "note 4"])
    let more = try #require(first.with("NOTE").first)
    #expect(more.params.prefix(2) == ["SEARCH", "MORE_RESULTS"])
    let second = rig.ask("SEARCH text=note;limit=2;lyceum.chat/cursor=\(more.params[2])", from: ada)
    #expect(Self.texts(second) == ["note 1", "note 2"])
    let cursor = try #require(second.with("NOTE").first?.params[2])
    let last = rig.ask("SEARCH text=note;limit=2;lyceum.chat/cursor=\(cursor)", from: ada)
    #expect(Self.texts(last) == ["note 0"])
    #expect(last.with("NOTE").isEmpty)
  }

  @Test func aSearchStopsAtItsRowBudgetWithACursor() throws {
    let rig = HistoryRig { $0.limits.searchScanBudget = 3 }
    let ada = rig.h.connectRegistered("ada", capabilities: Self.full)
    let bob = rig.h.connectRegistered("bob", capabilities: Self.full)
    rig.say("JOIN #lab", from: ada)
    rig.say("JOIN #lab", from: bob)
    rig.say("PRIVMSG #lab :needle", from: bob)
    for index in 0..<5 { rig.say("PRIVMSG #lab :hay \(index)", from: ada) }
    // Without text every message of #lab is a candidate: three are examined, none from bob.
    let reply = rig.ask("SEARCH from=bob", from: ada)
    #expect(Self.texts(reply).isEmpty)
    let note = try #require(reply.with("NOTE").first)
    #expect(note.params.prefix(2) == ["SEARCH", "MORE_RESULTS"])
    #expect(note.params.last?.contains("work limit") == true)
    let next = rig.ask("SEARCH from=bob;lyceum.chat/cursor=\(note.params[2])", from: ada)
    #expect(Self.texts(next) == ["needle"])
  }

  @Test func badAttributesAreInvalidParamsNamingTheAttribute() {
    let (rig, ada, _) = lab()
    for (line, attribute) in [
      ("SEARCH text=\"unbalanced", "text"), ("SEARCH text=-only", "text"),
      ("SEARCH text=...", "text"), ("SEARCH text=a*", "text"), ("SEARCH limit=0", "limit"),
      ("SEARCH limit=x", "limit"), ("SEARCH after=yesterday", "after"),
      ("SEARCH in=#nowhere", "in"), ("SEARCH lyceum.chat/cursor=-3", "lyceum.chat/cursor"),
      ("SEARCH", "*"), ("SEARCH a b", "*"),
    ] {
      let reply = rig.ask(line, from: ada)
      #expect(reply.commands == ["FAIL"], "\(line)")
      #expect(
        reply.first.map { Array($0.params.prefix(3)) } == ["SEARCH", "INVALID_PARAMS", attribute])
    }
    // Unknown attributes are ignored; a store failure is INTERNAL_ERROR.
    #expect(Self.texts(rig.ask("SEARCH text=lunch;future=1", from: ada)) == ["lunch anyone?"])
    rig.h.send("SEARCH text=lunch", from: ada)
    for request in rig.h.historyRequests() {
      rig.h.answer(.failed(request.id), for: request.connection)
    }
    #expect(rig.h.messages(for: ada).first?.params.prefix(2) == ["SEARCH", "INTERNAL_ERROR"])
  }

  @Test func aClientWithoutBatchGetsBareLines() {
    let (rig, _, _) = lab()
    let plain = rig.h.connectRegistered("plain", capabilities: [.chathistory])
    rig.say("JOIN #lab", from: plain)
    rig.say("PRIVMSG #lab :plain decision", from: plain)
    #expect(rig.ask("SEARCH text=decision;limit=1", from: plain).commands.first == "PRIVMSG")
  }
}

@Suite("Search text")
struct SearchTextTests {
  @Test func scriptsWithoutSpacesAreSplitIntoCharacters() {
    #expect(SearchText.indexForm("会议改到明天") == " 会  议  改  到  明  天 ")
    #expect(SearchText.indexForm("café 회의는") == "café  회  의  는 ")
    #expect(SearchText.tokens("我们决定提交") == ["我", "们", "决", "定", "提", "交"])
  }

  @Test func parsesWordsPhrasesPrefixesAndExclusions() throws {
    let terms = try SearchText.parse("Decision \"data set\" experim* -draft 会议")
    #expect(
      terms == [
        SearchTerm(tokens: ["decision"]), SearchTerm(tokens: ["data", "set"]),
        SearchTerm(tokens: ["experim"], isPrefix: true),
        SearchTerm(tokens: ["draft"], isExcluded: true), SearchTerm(tokens: ["会", "议"]),
      ])
    #expect(throws: SearchSyntaxError.unbalancedQuote) { try SearchText.parse("\"open") }
    #expect(throws: SearchSyntaxError.noTerms) { try SearchText.parse("-x -y") }
    #expect(throws: SearchSyntaxError.noTerms) { try SearchText.parse("?! ...") }
    #expect(throws: SearchSyntaxError.prefixTooShort) { try SearchText.parse("a*") }
    let many = (0...SearchText.maxTerms).map { "w\($0)" }.joined(separator: " ")
    #expect(throws: SearchSyntaxError.tooManyTerms) { try SearchText.parse(many) }
  }

  @Test func matchesWholeWordsPhrasesAndSubstringsOfUnspacedScripts() throws {
    func match(_ text: String, _ query: String) throws -> Bool {
      SearchText.matches(text, try SearchText.parse(query))
    }
    #expect(try match("The Decision is made", "decision"))
    #expect(try !match("indecisions", "decision"))
    #expect(try match("experiments ran", "experim*"))
    #expect(try match("the data set is ready", "\"data set\""))
    #expect(try !match("set the data", "\"data set\""))
    #expect(try !match("draft decision", "decision -draft"))
    #expect(try match("我们决定提交论文", "决定"))
    #expect(try !match("我们决提交定论文", "决定"))
    #expect(try match("회의는 내일입니다", "회의"))
  }
}
