import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `CHATHISTORY` over the wire (TLS, the in-process server): history that outlives a restart,
/// every subcommand with both kinds of reference, who may read what, direct history between
/// accounts, and labelled requests.
@Suite struct HistoryE2ETests {
  /// No flood limits in the way of a test that sends and reads quickly.
  static func unthrottled(_ configuration: inout ServerConfiguration) {
    configuration.flood.commandBurst = 10_000
    configuration.flood.commandRate = 10_000
    configuration.flood.historyBurst = 10_000
    configuration.flood.historyRate = 10_000
  }

  /// What a live line and its replay must agree on.
  struct Seen: Equatable, CustomStringConvertible {
    let command: String
    let source: String?
    let params: [String]
    let msgid: String?
    let time: String?

    init(_ message: IRCMessage) {
      command = message.command
      source = message.source
      params = message.params
      msgid = message.msgid
      time = message.tagValue("time")
    }

    var description: String {
      "\(command) \(source ?? "-") \(params) msgid=\(msgid ?? "-") time=\(time ?? "-")"
    }
  }

  // MARK: History across a restart

  @Test func messagesTopicAndMembershipComeBackAfterARestart() throws {
    let server = try TestServer(Self.unthrottled)
    defer { server.stop() }
    let caps = historyCaps + ["echo-message", "draft/event-playback"]
    let alice = try server.registered("alice", caps: caps)
    let bob = try server.registered("bob", caps: caps)
    // A registered room (alice is logged in when she creates it) keeps its history for good.
    try alice.registerAccount()
    var live = try alice.join("#keep")
    try bob.join("#keep")
    try alice.send("TOPIC #keep :Results on Friday")
    try alice.send("PRIVMSG #keep :first")
    live += try alice.sync()
    try bob.send("PRIVMSG #keep :second")
    try bob.send("NOTICE #keep :a notice")
    try bob.send("PART #keep :later")
    try bob.sync()
    live += try alice.readUntil("bob's PART") { $0.command == "PART" }
    let expected = live.filter { $0.msgid != nil && $0.params.first == "#keep" }.map(Seen.init)
    #expect(
      expected.map(\.command) == ["JOIN", "JOIN", "TOPIC", "PRIVMSG", "PRIVMSG", "NOTICE", "PART"],
      "live: \(expected)")

    let restarted = try server.restarted(configure: Self.unthrottled)
    defer { restarted.stop() }
    let carol = try restarted.registered("carol", caps: historyCaps + ["draft/event-playback"])
    try carol.join("#keep")
    let events = try carol.chathistory("LATEST #keep * 0")
    #expect(events.fail == nil)
    #expect(events.batchType == "chathistory" && events.batchParams == ["#keep"])
    let replayed = events.messages.map(Seen.init)
    // Carol's own JOIN is the latest entry: the channel's history outlived the channel.
    #expect(replayed.last?.command == "JOIN" && replayed.last?.source?.hasPrefix("carol!") == true)
    // The shutdown's QUIT of alice (still in the channel) is kept too, unless the server
    // stopped before its commit: the hub holds the QUIT (and the ERROR) until then, and
    // shutdown does not wait for the history writer.
    let shutdownQuit = replayed.dropLast().filter { $0.command == "QUIT" }
    #expect(shutdownQuit.allSatisfy { $0.source?.hasPrefix("alice!") == true })
    #expect(
      replayed.dropLast().filter { $0.command != "QUIT" } == expected,
      "replayed after restart: \(replayed)")

    // Without event-playback only the messages come back.
    let dave = try restarted.registered("dave", caps: historyCaps)
    try dave.join("#keep")
    let messages = try dave.chathistory("LATEST #keep * 0")
    #expect(messages.texts == ["first", "second", "a notice"])
    let expectedMessages = expected.filter { ["PRIVMSG", "NOTICE"].contains($0.command) }
    #expect(messages.messages.map(Seen.init) == expectedMessages)
  }

  // MARK: Every subcommand

  /// `#subs` with m0…m9 from alice, each in its own millisecond; returns alice (with a
  /// history limit of 5) and the messages' msgids and times.
  static func tenMessages(_ server: TestServer) throws -> (
    alice: TestClient, ids: [String], times: [String]
  ) {
    let alice = try server.connect(name: "alice")
    let welcome = try alice.register(nick: "alice", caps: historyCaps + ["echo-message"])
    #expect(TestClient.chathistoryLimit(in: welcome) == 5)
    try alice.join("#subs")
    var ids: [String] = []
    var times: [String] = []
    for index in 0..<10 {
      try alice.send("PRIVMSG #subs :m\(index)")
      let echo = try alice.expect("PRIVMSG") { $0.trailing == "m\(index)" }
      ids.append(try #require(echo.msgid))
      times.append(try #require(echo.tagValue("time")))
      Thread.sleep(forTimeInterval: 0.003)  // distinct times, for timestamp= references
    }
    #expect(Set(times).count == 10, "two messages share a millisecond: \(times)")
    return (alice, ids, times)
  }

  @Test func everySubcommandWithMsgidAndTimestampReferences() throws {
    let server = try TestServer {
      Self.unthrottled(&$0)
      $0.history.maxMessages = 5
    }
    defer { server.stop() }
    let (alice, ids, times) = try Self.tenMessages(server)
    func texts(_ arguments: String) throws -> [String] {
      let reply = try alice.chathistory(arguments)
      #expect(reply.fail == nil, "CHATHISTORY \(arguments): \(String(describing: reply.fail))")
      #expect(reply.batchType == "chathistory" && reply.batchParams == ["#subs"])
      return reply.texts
    }
    func m(_ indices: ClosedRange<Int>) -> [String] { indices.map { "m\($0)" } }

    // Each line is replayed as it was relayed: time, msgid, source, command, parameters.
    let latest = try alice.chathistory("LATEST #subs * 2")
    #expect(latest.msgids == [ids[8], ids[9]])
    #expect(latest.messages.map { $0.tagValue("time") } == [times[8], times[9]])
    #expect(latest.messages.allSatisfy { $0.sourceNick == "alice" && $0.params.first == "#subs" })

    // The limit is lowered to CHATHISTORY=5; 0 asks for that many.
    #expect(try texts("LATEST #subs * 100") == m(5...9))
    #expect(try texts("LATEST #subs * 0") == m(5...9))
    #expect(try texts("LATEST #subs msgid=\(ids[6]) 5") == m(7...9))
    #expect(try texts("LATEST #subs timestamp=\(times[6]) 5") == m(7...9))
    #expect(try texts("BEFORE #subs msgid=\(ids[5]) 3") == m(2...4))
    #expect(try texts("BEFORE #subs timestamp=\(times[5]) 3") == m(2...4))
    #expect(try texts("AFTER #subs msgid=\(ids[5]) 2") == m(6...7))
    #expect(try texts("AFTER #subs timestamp=\(times[5]) 2") == m(6...7))
    #expect(try texts("AROUND #subs msgid=\(ids[5]) 4") == m(3...6))
    #expect(try texts("AROUND #subs timestamp=\(times[5]) 4") == m(3...6))
    #expect(try texts("BETWEEN #subs msgid=\(ids[2]) msgid=\(ids[7]) 5") == m(3...6))
    #expect(try texts("BETWEEN #subs timestamp=\(times[2]) timestamp=\(times[7]) 5") == m(3...6))
    #expect(try texts("BETWEEN #subs msgid=\(ids[2]) timestamp=\(times[7]) 5") == m(3...6))
    // From the first reference towards the second: the two next to m7, oldest first.
    #expect(try texts("BETWEEN #subs msgid=\(ids[7]) msgid=\(ids[2]) 2") == m(5...6))
    #expect(try texts("BETWEEN #subs timestamp=\(times[2]) timestamp=\(times[7]) 2") == m(3...4))
    // An unknown msgid selects nothing.
    #expect(try texts("BEFORE #subs msgid=nosuchmsgid00 5") == [])
    #expect(try texts("AFTER #subs msgid=\(ids[9]) 5") == [])

    // TARGETS: the channels with activity between two times, oldest activity first.
    try alice.join("#other")
    try alice.send("PRIVMSG #other :later")
    let laterEcho = try alice.expect("PRIVMSG") { $0.trailing == "later" }
    let laterTime = try #require(laterEcho.tagValue("time"))
    let early = "timestamp=2000-01-01T00:00:00.000Z"
    let late = "timestamp=2100-01-01T00:00:00.000Z"
    let targets = try alice.chathistory("TARGETS \(early) \(late) 10")
    #expect(targets.batchType == "draft/chathistory-targets")
    #expect(
      targets.messages.map(\.params) == [
        ["TARGETS", "#subs", times[9]], ["TARGETS", "#other", laterTime],
      ])
    // Earlier-then-later keeps the earliest, later-then-earlier the most recent.
    let earliest = try alice.chathistory("TARGETS \(early) \(late) 1").messages
    #expect(earliest.map { $0.params[1] } == ["#subs"])
    let latestActive = try alice.chathistory("TARGETS \(late) \(early) 1").messages
    #expect(latestActive.map { $0.params[1] } == ["#other"])
    // A window that ends before #other's message.
    let window = try alice.chathistory("TARGETS \(early) timestamp=\(times[9]) 10")
    #expect(!window.messages.contains { $0.params[1] == "#other" })
  }

  @Test func malformedRequestsFailWithInvalidParams() throws {
    let server = try TestServer(Self.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: historyCaps + ["echo-message"])
    try alice.join("#subs")
    try alice.send("PRIVMSG #subs :still here")
    try alice.sync()
    let cases: [(String, String)] = [
      ("FETCH #subs * 5", "FETCH"),
      ("LATEST #subs *", "LATEST"),
      ("LATEST #subs * 5 extra", "LATEST"),
      ("BEFORE #subs yesterday 5", "BEFORE"),
      ("AFTER #subs timestamp=not-a-time 5", "AFTER"),
      ("LATEST #subs * many", "LATEST"),
      ("LATEST #subs * -1", "LATEST"),
      ("BETWEEN #subs * msgid=x 5", "BETWEEN"),
      ("TARGETS msgid=x timestamp=2100-01-01T00:00:00.000Z 5", "TARGETS"),
    ]
    for (arguments, context) in cases {
      let reply = try alice.chathistory(arguments)
      let fail = try #require(reply.fail, "CHATHISTORY \(arguments) did not fail")
      #expect(
        Array(fail.params.prefix(3)) == ["CHATHISTORY", "INVALID_PARAMS", context],
        "CHATHISTORY \(arguments): \(fail)")
    }
    try alice.send("CHATHISTORY")
    let bare = try alice.expect("FAIL")
    #expect(Array(bare.params.prefix(3)) == ["CHATHISTORY", "INVALID_PARAMS", "*"])
    // The connection is fine afterwards.
    #expect(try alice.chathistory("LATEST #subs * 5").texts == ["still here"])
  }

  // MARK: Who may read

  @Test func nonMembersAreRefusedForNormalSecretAndMissingChannels() throws {
    let server = try TestServer(Self.unthrottled)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: historyCaps)
    let bob = try server.registered("bob", caps: historyCaps)
    try alice.join("#open")
    try alice.join("#hidden")
    try alice.send("MODE #hidden +s")
    try alice.send("PRIVMSG #open :open talk")
    try alice.send("PRIVMSG #hidden :secret talk")
    try alice.sync()

    var descriptions: Set<String> = []
    for channel in ["#open", "#hidden", "#nowhere"] {
      let reply = try bob.chathistory("LATEST \(channel) * 10")
      let fail = try #require(reply.fail, "bob read \(channel): \(reply.messages)")
      #expect(Array(fail.params.prefix(4)) == ["CHATHISTORY", "INVALID_TARGET", "LATEST", channel])
      descriptions.insert(fail.trailing)
      #expect(!bob.transcript.contains { $0.contains("secret talk") || $0.contains("open talk") })
    }
    // A secret channel is refused exactly like one that does not exist.
    #expect(descriptions.count == 1)
    let around = try bob.chathistory("AROUND #hidden timestamp=2100-01-01T00:00:00.000Z 10")
    #expect(
      around.fail?.params.prefix(4) == ["CHATHISTORY", "INVALID_TARGET", "AROUND", "#hidden"])

    // Members read; after leaving, not any more.
    try bob.join("#open")
    #expect(try bob.chathistory("LATEST #open * 10").texts == ["open talk"])
    try bob.send("PART #open")
    try bob.sync()
    #expect(try bob.chathistory("LATEST #open * 10").fail != nil)
  }

  // MARK: Direct history between accounts

  @Test func directHistoryIsReadableByBothAccountsAndNoOneElse() throws {
    let password = "history-belongs-to-accounts"
    let server = try TestServer(
      prepare: { directory in
        for name in ["ada", "ben", "cy"] {
          try AccountSeed.account(directory, name, AccountSettings(password: password))
        }
      }, configure: Self.unthrottled)
    defer { server.stop() }
    let caps = historyCaps + ["echo-message", "account-tag"]
    let ada = try server.connect(name: "ada")
    try ada.registerWithPlain(nick: "ada", account: "ada", password: password, caps: caps)
    // ben talks under another nick: the conversation belongs to the accounts.
    let ben = try server.connect(name: "benny")
    try ben.registerWithPlain(nick: "benny", account: "ben", password: password, caps: caps)
    let cy = try server.connect(name: "cy")
    try cy.registerWithPlain(nick: "cy", account: "cy", password: password, caps: caps)
    let guest = try server.registered("guest", caps: caps)

    try ada.send("PRIVMSG benny :hello ben")
    let first = try ada.expect("PRIVMSG") { $0.trailing == "hello ben" }
    try ben.expect("PRIVMSG") { $0.trailing == "hello ben" && $0.msgid == first.msgid }
    try ben.send("NOTICE ada :hello ada")
    let second = try ben.expect("NOTICE") { $0.trailing == "hello ada" }
    try ada.expect("NOTICE") { $0.trailing == "hello ada" && $0.msgid == second.msgid }
    try ada.send("PRIVMSG benny :bye")
    let third = try ada.expect("PRIVMSG") { $0.trailing == "bye" }
    try ben.expect("PRIVMSG") { $0.trailing == "bye" }
    // A guest (not logged in) writing to ada is delivered but not kept.
    try guest.send("PRIVMSG ada :from a guest")
    try ada.expect("PRIVMSG") { $0.trailing == "from a guest" }
    let conversation = [first, second, third].compactMap(\.msgid)
    #expect(conversation.count == 3)

    // Both read it, by the other's nick or by account name.
    let byNick = try ada.chathistory("LATEST benny * 10")
    #expect(byNick.msgids == conversation, "ada by nick: \(byNick.read)")
    #expect(byNick.batchParams == ["benny"])
    #expect(byNick.texts == ["hello ben", "hello ada", "bye"])
    #expect(try ada.chathistory("LATEST ben * 10").msgids == conversation)
    #expect(try ben.chathistory("LATEST ada * 10").msgids == conversation)
    #expect(
      try ben.chathistory("AFTER ada msgid=\(conversation[0]) 10").texts == ["hello ada", "bye"])
    // Each message carries the sender's account (ada has account-tag).
    #expect(byNick.messages.map { $0.tagValue("account") } == ["ada", "ben", "ada"])
    // TARGETS names the other account.
    let early = "timestamp=2000-01-01T00:00:00.000Z"
    let late = "timestamp=2100-01-01T00:00:00.000Z"
    let targets = try ada.chathistory("TARGETS \(early) \(late) 10")
    #expect(targets.messages.map { $0.params[1] } == ["ben"], "ada's targets: \(targets.read)")

    // A third account only ever reaches its own conversations.
    for name in ["ada", "ben", "benny"] {
      let reply = try cy.chathistory("LATEST \(name) * 10")
      #expect(reply.fail == nil && reply.messages.isEmpty, "cy read \(name): \(reply.read)")
    }
    #expect(try cy.chathistory("TARGETS \(early) \(late) 10").messages.isEmpty)
    #expect(!cy.transcript.contains { $0.contains("hello ben") || $0.contains("bye") })
    // Without an account there is no direct history at all.
    let refused = try guest.chathistory("LATEST ada * 10")
    #expect(refused.fail?.params.prefix(4) == ["CHATHISTORY", "INVALID_TARGET", "LATEST", "ada"])

    // ben's account still reaches the conversation after benny leaves.
    try ben.send("QUIT :later")
    try ben.expectClosed()
    #expect(try ada.chathistory("LATEST ben * 10").msgids == conversation)
  }

  // MARK: Labelled requests

  @Test func labelledChathistoryNestsTheHistoryBatchInTheLabelledOne() throws {
    let server = try TestServer(Self.unthrottled)
    defer { server.stop() }
    let alice = try server.registered(
      "alice", caps: historyCaps + ["echo-message", "labeled-response"])
    try alice.join("#lab")
    for text in ["one", "two", "three"] {
      try alice.send("PRIVMSG #lab :\(text)")
      try alice.expect("PRIVMSG") { $0.trailing == text }
    }

    try alice.send("@label=h1 CHATHISTORY LATEST #lab * 2")
    let lines = try alice.readUntil("the end of the labelled batch") {
      $0.command == "BATCH" && $0.params.first?.hasPrefix("-") == true
        && $0.tagValue("batch") == nil
    }
    try #require(lines.count == 6, "labelled reply: \(lines)")
    let outer = lines[0]
    #expect(outer.tagValue("label") == "h1")
    #expect(outer.command == "BATCH" && outer.params.count == 2)
    #expect(outer.params.last == "labeled-response")
    let outerID = String(try #require(outer.params.first).dropFirst())
    let inner = lines[1]
    #expect(inner.command == "BATCH" && Array(inner.params.dropFirst()) == ["chathistory", "#lab"])
    #expect(inner.tagValue("batch") == outerID && inner.tagValue("label") == nil)
    let innerID = String(try #require(inner.params.first).dropFirst())
    #expect(innerID != outerID)
    #expect(lines[2...3].map(\.trailing) == ["two", "three"])
    #expect(lines[2...3].allSatisfy { $0.tagValue("batch") == innerID && $0.msgid != nil })
    #expect(lines[4].params == ["-" + innerID] && lines[4].tagValue("batch") == outerID)
    #expect(lines[5].params == ["-" + outerID])

    // A labelled refusal is one labelled FAIL.
    try alice.send("@label=h2 CHATHISTORY LATEST #nowhere * 2")
    let fail = try alice.expect("FAIL")
    #expect(fail.tagValue("label") == "h2")
    #expect(fail.params.prefix(4) == ["CHATHISTORY", "INVALID_TARGET", "LATEST", "#nowhere"])

    // Commands after a read wait for it: the PONG comes after the history.
    try alice.send("@label=h3 CHATHISTORY LATEST #lab * 1")
    try alice.send("@label=h4 PING :after")
    let ordered = try alice.readUntil("PONG") { $0.command == "PONG" }
    let labels = ordered.compactMap { $0.tagValue("label") }
    #expect(labels == ["h3", "h4"], "replies: \(ordered)")
    #expect(ordered.contains { $0.command == "PRIVMSG" && $0.trailing == "three" })
  }
}

// MARK: - Helpers shared with CrashDurabilityE2ETests

/// One `CHATHISTORY` reply as read off the wire: the batch (type, parameters, content), or the
/// `FAIL` that came instead.
struct HistoryReply {
  var batchType: String?
  var batchParams: [String] = []
  /// The lines inside the batch, in order.
  var messages: [IRCMessage] = []
  /// The `FAIL CHATHISTORY …` line, if that was the answer.
  var fail: IRCMessage?
  /// Everything read up to the end of the reply.
  var read: [IRCMessage] = []

  var msgids: [String] { messages.compactMap { $0.tagValue("msgid") } }
  /// The text of each `PRIVMSG`/`NOTICE` in the batch.
  var texts: [String] {
    messages.filter { ["PRIVMSG", "NOTICE"].contains($0.command) }.map(\.trailing)
  }
}

/// Capabilities a history-reading client asks for.
let historyCaps = ["batch", "server-time", "message-tags", "draft/chathistory"]

extension TestClient {
  /// Sends `CHATHISTORY <arguments>` and reads its answer: the whole `chathistory` (or
  /// `draft/chathistory-targets`) batch, or a `FAIL CHATHISTORY`. Needs `batch`.
  func chathistory(_ arguments: String, timeout: Duration = .seconds(10)) throws -> HistoryReply {
    try send("CHATHISTORY \(arguments)")
    var batchID: String?
    var reply = HistoryReply()
    reply.read = try readUntil(timeout: timeout, "the answer to CHATHISTORY \(arguments)") {
      message in
      if message.command == "FAIL", message.params.first == "CHATHISTORY" { return true }
      guard message.command == "BATCH", let reference = message.params.first else { return false }
      if let batchID { return reference == "-" + batchID }
      if reference.hasPrefix("+"), message.params.count >= 2,
        ["chathistory", "draft/chathistory-targets"].contains(message.params[1])
      {
        batchID = String(reference.dropFirst())
      }
      return false
    }
    if let last = reply.read.last, last.command == "FAIL" {
      reply.fail = last
      return reply
    }
    let opening = reply.read.first {
      $0.command == "BATCH" && $0.params.first == "+" + (batchID ?? "")
    }
    reply.batchType = opening?.params[1]
    reply.batchParams = Array(opening?.params.dropFirst(2) ?? [])
    reply.messages = reply.read.filter {
      $0.tagValue("batch") == batchID && $0.command != "BATCH"
    }
    return reply
  }

  /// The `CHATHISTORY=` ISUPPORT value in a welcome burst.
  static func chathistoryLimit(in welcome: [IRCMessage]) -> Int? {
    for message in welcome.with("005") {
      for token in message.params.dropFirst() where token.hasPrefix("CHATHISTORY=") {
        return Int(token.dropFirst("CHATHISTORY=".count))
      }
    }
    return nil
  }
}

extension IRCMessage {
  var msgid: String? { tagValue("msgid") }
}
