import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `SEARCH` over TLS against the real SQLite store: messages kept by the group-commit writer
/// are found at once (the index is written in the same transaction), across a restart, in
/// every language the index handles, and only by those who may read them.
@Suite struct SearchE2ETests {
  static let caps = historyCaps + ["soju.im/search", "echo-message", "account-tag"]

  @Test func keptMessagesAreFoundAtOnceAndAfterARestartByMembersOnly() throws {
    let server = try TestServer(HistoryE2ETests.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: Self.caps)
    let bob = try server.registered("bob", caps: Self.caps)
    try alice.join("#research")
    try bob.join("#research")
    for line in [
      "Décision : on soumet vendredi", "lunch anyone?", "会议改到明天",
      "The DECISION is final",
    ] {
      try alice.send("PRIVMSG #research :\(line)")
    }
    try alice.sync()
    let found = try alice.search("text=decision")
    #expect(found.fail == nil)
    #expect(found.batchType == "soju.im/search")
    #expect(found.texts == ["Décision : on soumet vendredi", "The DECISION is final"])
    #expect(found.messages.allSatisfy { $0.msgid != nil && $0.tagValue("time") != nil })
    #expect(try alice.search("in=#research;text=会议").texts == ["会议改到明天"])

    // eve is in no room: she finds nothing, and may not name #research.
    let eve = try server.registered("eve", caps: Self.caps)
    #expect(try eve.search("text=decision").texts.isEmpty)
    let refused = try eve.search("in=#research;text=decision")
    #expect(refused.fail?.params.prefix(3) == ["SEARCH", "INVALID_PARAMS", "in"])
    let syntax = try alice.search("text=\"open")
    #expect(syntax.fail?.params.prefix(3) == ["SEARCH", "INVALID_PARAMS", "text"])

    let restarted = try server.restarted(configure: HistoryE2ETests.unthrottled)
    defer { restarted.stop() }
    let carol = try restarted.registered("carol", caps: Self.caps)
    let dan = try restarted.registered("dan", caps: Self.caps)
    try carol.join("#research")
    try dan.join("#research")
    // #research ended when everyone left: carol's new channel does not show the old one.
    #expect(try carol.search("text=decision").texts.isEmpty)
    try carol.send("PRIVMSG #research :a new decision")
    try carol.sync()
    let page = try carol.search("text=decision;limit=1")
    #expect(page.texts == ["a new decision"])
  }
}

/// A `SEARCH` answer: the batch's lines, or the `FAIL`.
struct SearchReply {
  var read: [IRCMessage] = []
  var batchType: String?
  var messages: [IRCMessage] = []
  var fail: IRCMessage?
  var texts: [String] { messages.compactMap { $0.params.last } }
}

extension TestClient {
  /// Sends `SEARCH <attributes>` and reads its `soju.im/search` batch or its `FAIL`.
  func search(_ attributes: String) throws -> SearchReply {
    try send("SEARCH :\(attributes)")
    var batchID: String?
    var reply = SearchReply()
    reply.read = try readUntil("the answer to SEARCH \(attributes)") { message in
      if message.command == "FAIL", message.params.first == "SEARCH" { return true }
      guard message.command == "BATCH", let reference = message.params.first else { return false }
      if let batchID { return reference == "-" + batchID }
      if reference.hasPrefix("+"), message.params.count >= 2 {
        batchID = String(reference.dropFirst())
        reply.batchType = message.params[1]
      }
      return false
    }
    if let last = reply.read.last, last.command == "FAIL" { reply.fail = last }
    reply.messages = reply.read.filter {
      batchID != nil && $0.tagValue("batch") == batchID && $0.command != "BATCH"
    }
    return reply
  }
}
