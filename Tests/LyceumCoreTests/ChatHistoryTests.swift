import LyceumProtocol
import Testing

@testable import LyceumCore

/// A core with history on and an in-memory store that plays the server's part: what the core
/// keeps goes into the store, and its history requests are answered from it.
final class HistoryRig {
  let h: CoreHarness
  let store = InMemoryHistoryStore()
  /// Every entry stored so far, in order.
  private(set) var stored: [HistoryEntry] = []

  /// The capabilities of a full chathistory client.
  static let full: CapabilitySet = [.batch, .serverTime, .messageTags, .chathistory]

  init(maxMessages: Int = 10, configure: (inout CoreConfiguration) -> Void = { _ in }) {
    h = CoreHarness {
      $0.historyEnabled = true
      $0.limits.historyMaxMessages = maxMessages
      configure(&$0)
    }
  }

  /// Stores what the core kept since the last call.
  func persist() {
    let kept = h.takeKept()
    try? store.append(kept)
    stored += kept
  }

  /// One second later, `line` from `id`; what it kept is stored. Returns the new entries.
  @discardableResult
  func say(_ line: String, from id: ClientID) -> [HistoryEntry] {
    h.clock.advance(by: .seconds(1))
    let before = stored.count
    h.send(line, from: id)
    persist()
    return Array(stored[before...])
  }

  /// `count` messages `0`…`count-1` from `id` to `target`, a second apart; their entries.
  @discardableResult
  func talk(_ count: Int, from id: ClientID, to target: String) -> [HistoryEntry] {
    (0..<count).flatMap { say("PRIVMSG \(target) :m\($0)", from: id) }
  }

  /// Sends `line` from `id`, answers its history requests from the store, and returns what
  /// `id` got.
  func ask(_ line: String, from id: ClientID) -> [IRCMessage] {
    _ = h.messages(for: id)
    persist()
    h.send(line, from: id)
    answerAll()
    return h.messages(for: id)
  }

  /// Answers every outstanding history request from the store.
  func answerAll() {
    for request in h.historyRequests() {
      h.answer(request.run(on: store), for: request.connection)
    }
  }

  /// The texts of the PRIVMSG/NOTICE lines of a reply.
  static func texts(_ reply: [IRCMessage]) -> [String] {
    reply.filter { ["PRIVMSG", "NOTICE"].contains($0.command) }.compactMap { $0.params.last }
  }

  /// Logs `id` in to a new account called `name` and adds it to the directory.
  func logIn(_ id: ClientID, as name: String) {
    let summary = Accounts.summary(name)
    h.core.accountUpdated(summary)
    h.client(id).account = summary
  }
}

private func ref(_ entry: HistoryEntry) -> String { "msgid=\(entry.msgid)" }
private func time(_ entry: HistoryEntry, plus offset: Int64 = 0) -> String {
  "timestamp=" + ServerTime.format(milliseconds: entry.timeMilliseconds + offset)
}

/// IRCv3 `draft/chathistory` and `draft/event-playback`, answered from a scripted store.
@Suite("CHATHISTORY")
struct ChatHistoryTests {
  // MARK: Advertising

  @Test func capabilitiesAndISupportOnlyWhenHistoryIsOn() {
    let on = HistoryRig(maxMessages: 50)
    let client = on.h.connect()
    let caps = on.h.exchange("CAP LS 302", from: client).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(caps.contains("draft/chathistory"))
    #expect(caps.contains("draft/event-playback"))
    #expect(on.h.core.isupportTokens.contains("CHATHISTORY=50"))
    #expect(on.h.core.isupportTokens.contains("MSGREFTYPES=timestamp,msgid"))
    #expect(on.h.core.isupportTokens == on.h.core.isupportTokens.sorted())
    let reply = on.h.exchange("CAP REQ :draft/chathistory draft/event-playback", from: client)
    #expect(reply.first?.params[1] == "ACK")

    let off = CoreHarness()
    let other = off.connect()
    let offCaps = off.exchange("CAP LS 302", from: other).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(!offCaps.contains { $0.hasPrefix("draft/chathistory") || $0.hasPrefix("draft/event") })
    #expect(!off.core.isupportTokens.contains { $0.hasPrefix("CHATHISTORY") })
    #expect(!off.core.isupportTokens.contains { $0.hasPrefix("MSGREFTYPES") })
    #expect(off.exchange("CAP REQ draft/chathistory", from: other).first?.params[1] == "NAK")
    let registered = off.connectRegistered("zed")
    #expect(off.exchange("CHATHISTORY LATEST #a * 10", from: registered).commands == ["421"])
  }

  // MARK: Subcommands

  /// The spec's first example: `LATEST #channel * 50`, one batch, each line with batch, msgid,
  /// time and the client's tags, as originally relayed.
  @Test func latestStarIsTheSpecExample() {
    let rig = HistoryRig(maxMessages: 50)
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let nick = rig.h.connectRegistered("nick", user: "ident", capabilities: [.messageTags])
    rig.h.place(alice, in: "#channel")
    rig.h.place(nick, in: "#channel")
    let sent =
      rig.say("PRIVMSG #channel :message", from: nick)
      + rig.say("NOTICE #channel :message", from: nick)
      + rig.say("@+client-tag=val PRIVMSG #channel :\u{1}ACTION message\u{1}", from: nick)
    let reply = rig.ask("CHATHISTORY LATEST #channel * 50", from: alice)
    #expect(reply.commands == ["BATCH", "PRIVMSG", "NOTICE", "PRIVMSG", "BATCH"])
    let id = String(reply[0].params[0].dropFirst())
    #expect(reply[0].source == "irc.test")
    #expect(reply[0].params == ["+" + id, "chathistory", "#channel"])
    #expect(reply.last?.params == ["-" + id])
    for (line, entry) in zip(reply[1...3], sent) {
      #expect(line.source == "nick!ident@198.51.100.7")
      #expect(
        Array(line.tags.prefix(3)) == [
          IRCTag("batch", id),
          IRCTag("time", ServerTime.format(milliseconds: entry.timeMilliseconds)),
          IRCTag("msgid", entry.msgid),
        ])
      #expect(line.params == entry.params)
    }
    #expect(reply[3].tag("+client-tag") == .some("val"))
    #expect(reply[3].params == ["#channel", "\u{1}ACTION message\u{1}"])
  }

  @Test func latestAfterAReference() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(6, from: alice, to: "#a")
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY LATEST #a \(ref(sent[3])) 10", from: alice))
        == ["m4", "m5"])
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY LATEST #a \(time(sent[3])) 10", from: alice))
        == ["m4", "m5"])
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST #a * 2", from: alice)) == ["m4", "m5"])
  }

  @Test func beforeAndAfterByMsgidAndTimestamp() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(6, from: alice, to: "#a")
    for reference in [ref(sent[3]), time(sent[3])] {
      #expect(
        HistoryRig.texts(rig.ask("CHATHISTORY BEFORE #a \(reference) 2", from: alice))
          == ["m1", "m2"])
      #expect(
        HistoryRig.texts(rig.ask("CHATHISTORY AFTER #a \(reference) 10", from: alice))
          == ["m4", "m5"])
    }
    // A time between two messages splits them.
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY BEFORE #a \(time(sent[1], plus: 500)) 10", from: alice))
        == ["m0", "m1"])
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY AFTER #a \(time(sent[4], plus: 500)) 10", from: alice))
        == ["m5"])
    // An unknown msgid selects nothing: an empty batch, not an error.
    let empty = rig.ask("CHATHISTORY BEFORE #a msgid=nope 10", from: alice)
    #expect(empty.commands == ["BATCH", "BATCH"])
  }

  @Test func aroundByMsgidAndTimestamp() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(9, from: alice, to: "#a")
    for reference in [ref(sent[4]), time(sent[4])] {
      #expect(
        HistoryRig.texts(rig.ask("CHATHISTORY AROUND #a \(reference) 4", from: alice))
          == ["m2", "m3", "m4", "m5"])
    }
  }

  @Test func betweenForwardsAndBackwards() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(8, from: alice, to: "#a")
    // Excluding both ends, from the first towards the second, in ascending order.
    #expect(
      HistoryRig.texts(
        rig.ask("CHATHISTORY BETWEEN #a \(ref(sent[1])) \(ref(sent[6])) 10", from: alice))
        == ["m2", "m3", "m4", "m5"])
    #expect(
      HistoryRig.texts(
        rig.ask("CHATHISTORY BETWEEN #a \(ref(sent[1])) \(time(sent[6])) 2", from: alice))
        == ["m2", "m3"])
    #expect(
      HistoryRig.texts(
        rig.ask("CHATHISTORY BETWEEN #a \(time(sent[6])) \(ref(sent[1])) 2", from: alice))
        == ["m4", "m5"])
  }

  @Test func limitIsClampedToTheAdvertisedMaximum() {
    let rig = HistoryRig(maxMessages: 10)
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    rig.talk(15, from: alice, to: "#a")
    let clamped = rig.ask("CHATHISTORY LATEST #a * 1000", from: alice)
    #expect(HistoryRig.texts(clamped) == (5..<15).map { "m\($0)" })
    let zero = rig.ask("CHATHISTORY LATEST #a * 0", from: alice)
    #expect(HistoryRig.texts(zero).count == 10)
  }

  // MARK: Errors

  @Test func malformedCommandsFailWithInvalidParams() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    let cases: [(String, String)] = [
      ("CHATHISTORY", "*"),
      ("CHATHISTORY FETCH #a * 10", "FETCH"),
      ("CHATHISTORY LATEST #a *", "LATEST"),
      ("CHATHISTORY LATEST #a * 10 extra", "LATEST"),
      ("CHATHISTORY LATEST #a * ten", "LATEST"),
      ("CHATHISTORY LATEST #a * -1", "LATEST"),
      ("CHATHISTORY BEFORE #a * 10", "BEFORE"),
      ("CHATHISTORY BEFORE #a 12345 10", "BEFORE"),
      ("CHATHISTORY AFTER #a msgid= 10", "AFTER"),
      ("CHATHISTORY AROUND #a timestamp=yesterday 10", "AROUND"),
      ("CHATHISTORY BETWEEN #a msgid=x 10", "BETWEEN"),
      ("CHATHISTORY TARGETS msgid=a msgid=b 10", "TARGETS"),
      ("CHATHISTORY TARGETS timestamp=2023-01-01T00:00:00.000Z 10", "TARGETS"),
    ]
    for (line, context) in cases {
      let reply = rig.ask(line, from: alice)
      #expect(reply.count == 1, "\(line)")
      #expect(reply.first?.command == "FAIL", "\(line)")
      #expect(
        Array(reply.first?.params.prefix(3) ?? []) == ["CHATHISTORY", "INVALID_PARAMS", context])
    }
    #expect(rig.h.historyRequests().isEmpty)
  }

  @Test func unknownChannelIsAnInvalidTarget() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let reply = rig.ask("CHATHISTORY LATEST #nowhere * 10", from: alice)
    #expect(reply.count == 1)
    #expect(reply.first?.command == "FAIL")
    #expect(
      Array(reply.first?.params.prefix(4) ?? []) == [
        "CHATHISTORY", "INVALID_TARGET", "LATEST", "#nowhere",
      ])
  }

  /// Channel history is for members only: a non-member of a normal or a secret channel gets
  /// the same refusal as for a channel that does not exist.
  @Test func nonMembersAreRefusedForNormalAndSecretChannels() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let eve = rig.h.connectRegistered("eve", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#open")
    rig.h.place(alice, in: "#hidden")
    rig.h.channel("#hidden").modes.secret = true
    rig.talk(3, from: alice, to: "#open")
    rig.talk(3, from: alice, to: "#hidden")
    for channel in ["#open", "#hidden"] {
      let reply = rig.ask("CHATHISTORY LATEST \(channel) * 10", from: eve)
      #expect(reply.commands == ["FAIL"])
      #expect(reply.first?.params[1] == "INVALID_TARGET")
      #expect(rig.ask("CHATHISTORY LATEST \(channel) * 10", from: alice).with("PRIVMSG").count == 3)
    }
    // Membership is checked now: a client who left cannot read on.
    rig.h.send("PART #open", from: alice)
    #expect(rig.ask("CHATHISTORY LATEST #open * 10", from: alice).commands == ["FAIL"])
  }

  @Test func storeFailureIsAMessageError() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    rig.h.send("CHATHISTORY BEFORE #a timestamp=2023-11-14T22:13:20.000Z 10", from: alice)
    let request = rig.h.historyRequests()
    #expect(request.count == 1)
    rig.h.answer(.failed(request[0].id), for: alice)
    let reply = rig.h.messages(for: alice)
    #expect(reply.commands == ["FAIL"])
    #expect(
      reply.first?.params == [
        "CHATHISTORY", "MESSAGE_ERROR", "BEFORE", "#a", "Messages could not be retrieved",
      ])
  }

  // MARK: Direct messages

  @Test func directHistoryForBothPartiesOnly() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let bob = rig.h.connectRegistered("bob", capabilities: HistoryRig.full)
    let carol = rig.h.connectRegistered("carol", capabilities: HistoryRig.full)
    let guest = rig.h.connectRegistered("guest", capabilities: HistoryRig.full)
    rig.logIn(alice, as: "alice")
    rig.logIn(bob, as: "bob")
    rig.logIn(carol, as: "carol")
    let sent =
      rig.say("PRIVMSG bob :hello", from: alice) + rig.say("PRIVMSG alice :hi!", from: bob)
      + rig.say("PRIVMSG carol :not for bob", from: alice)
    #expect(sent.count == 3)
    #expect(sent[0].target == .between("alice", "bob"))
    #expect(sent[0].account == "alice")

    let forAlice = rig.ask("CHATHISTORY LATEST bob * 10", from: alice)
    #expect(forAlice.first?.params == [forAlice.first?.params[0] ?? "", "chathistory", "bob"])
    #expect(forAlice.with("PRIVMSG").map(\.params) == [["bob", "hello"], ["alice", "hi!"]])
    #expect(
      forAlice.with("PRIVMSG").map { $0.source ?? "" } == [
        "alice!alice@198.51.100.7", "bob!bob@198.51.100.7",
      ])
    #expect(forAlice.with("PRIVMSG").first?.tag("account") == nil)  // no account-tag cap
    let forBob = rig.ask(
      "CHATHISTORY BEFORE ALICE timestamp=2030-01-01T00:00:00.000Z 10", from: bob)
    #expect(HistoryRig.texts(forBob) == ["hello", "hi!"])
    // carol asking about bob sees only her own conversation with him (none), never alice's.
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST bob * 10", from: carol)).isEmpty)
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY LATEST alice * 10", from: carol)) == ["not for bob"])
    // Without an account there is no direct history at all.
    let refused = rig.ask("CHATHISTORY LATEST alice * 10", from: guest)
    #expect(refused.commands == ["FAIL"])
    #expect(
      Array(refused.first?.params.prefix(4) ?? []) == [
        "CHATHISTORY", "INVALID_TARGET", "LATEST", "alice",
      ])
    // An account that is offline is found by its name; an unknown name is refused.
    rig.h.send("QUIT", from: bob)
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY LATEST bob * 10", from: alice)) == ["hello", "hi!"])
    #expect(rig.ask("CHATHISTORY LATEST nobody * 10", from: alice).commands == ["FAIL"])
  }

  @Test func directHistoryFollowsTheNicksAccount() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let bob = rig.h.connectRegistered("bobby", capabilities: HistoryRig.full)
    rig.logIn(alice, as: "alice")
    rig.logIn(bob, as: "bob")
    rig.say("PRIVMSG bobby :hey", from: alice)
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST bobby * 10", from: alice)) == ["hey"])
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST bob * 10", from: alice)) == ["hey"])
    #expect(rig.ask("CHATHISTORY LATEST bob * 10", from: alice).first?.params[2] == "bob")
  }

  // MARK: event-playback

  @Test func eventsOnlyWithEventPlayback() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let viewer = rig.h.connectRegistered("viewer", capabilities: HistoryRig.full)
    let player = rig.h.connectRegistered(
      "player", capabilities: HistoryRig.full.union(.eventPlayback))
    rig.h.place(viewer, in: "#ev")
    rig.h.place(player, in: "#ev", as: Membership(isOperator: true))
    rig.say("JOIN #ev", from: alice)
    rig.say("PRIVMSG #ev :one", from: alice)
    rig.say("@+typing=active TAGMSG #ev", from: alice)
    rig.say("TOPIC #ev :a topic", from: player)
    rig.say("NOTICE #ev :two", from: alice)
    rig.say("MODE #ev +m", from: player)
    rig.say("PART #ev :bye", from: alice)

    let plain = rig.ask("CHATHISTORY LATEST #ev * 10", from: viewer)
    #expect(plain.commands == ["BATCH", "PRIVMSG", "NOTICE", "BATCH"])
    let events = rig.ask("CHATHISTORY LATEST #ev * 10", from: player)
    #expect(
      events.commands == [
        "BATCH", "JOIN", "PRIVMSG", "TAGMSG", "TOPIC", "NOTICE", "MODE", "PART", "BATCH",
      ])
    #expect(events.with("JOIN").first?.params == ["#ev"])
    #expect(events.with("TAGMSG").first?.tag("+typing") == .some("active"))
    #expect(events.with("PART").first?.params == ["#ev", "bye"])
    // The limit counts what is replayed: events do not crowd messages out for a viewer.
    #expect(
      HistoryRig.texts(rig.ask("CHATHISTORY LATEST #ev * 2", from: viewer)) == ["one", "two"])
  }

  // MARK: Batches and labels

  @Test func labelledResponseNestsTheChathistoryBatch() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered(
      "alice", capabilities: HistoryRig.full.union(.labeledResponse))
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(2, from: alice, to: "#a")
    let reply = rig.ask("@label=h1 CHATHISTORY LATEST #a * 10", from: alice)
    #expect(reply.commands == ["BATCH", "BATCH", "PRIVMSG", "PRIVMSG", "BATCH", "BATCH"])
    let outer = String(reply[0].params[0].dropFirst())
    let inner = String(reply[1].params[0].dropFirst())
    #expect(outer != inner)
    #expect(reply[0].tags == [IRCTag("label", "h1")])
    #expect(reply[0].params == ["+" + outer, "labeled-response"])
    #expect(reply[1].tags == [IRCTag("batch", outer)])
    #expect(reply[1].params == ["+" + inner, "chathistory", "#a"])
    for (line, entry) in zip(reply[2...3], sent) {
      #expect(line.tags.filter { $0.key == "batch" } == [IRCTag("batch", inner)])
      #expect(line.tag("msgid") == .some(entry.msgid))
    }
    #expect(reply[4].tags == [IRCTag("batch", outer)])
    #expect(reply[4].params == ["-" + inner])
    #expect(reply[5].tags.isEmpty)
    #expect(reply[5].params == ["-" + outer])

    // An empty result is still an (empty) batch inside the labelled one.
    let empty = rig.ask("@label=h2 CHATHISTORY AFTER #a \(ref(sent[1])) 10", from: alice)
    #expect(empty.commands == ["BATCH", "BATCH", "BATCH", "BATCH"])
    #expect(empty[0].tag("label") == .some("h2"))
    // A refusal is one labelled line.
    let fail = rig.ask("@label=h3 CHATHISTORY LATEST #b * 10", from: alice)
    #expect(fail.commands == ["FAIL"])
    #expect(fail[0].tags == [IRCTag("label", "h3")])
  }

  @Test func withoutBatchTheMessagesComeBare() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: [.serverTime])
    rig.h.place(alice, in: "#a")
    let sent = rig.talk(2, from: alice, to: "#a")
    let reply = rig.ask("CHATHISTORY LATEST #a * 10", from: alice)
    #expect(reply.commands == ["PRIVMSG", "PRIVMSG"])
    #expect(
      reply[0].tags == [IRCTag("time", ServerTime.format(milliseconds: sent[0].timeMilliseconds))])
  }

  @Test func accountTagShownWithAccountTag() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full.union(.accountTag))
    rig.logIn(alice, as: "alice")
    rig.h.place(alice, in: "#a")
    rig.talk(1, from: alice, to: "#a")
    let reply = rig.ask("CHATHISTORY LATEST #a * 10", from: alice)
    #expect(reply.with("PRIVMSG").first?.tag("account") == .some("alice"))
  }

  /// Input waits while a read is outstanding, so replies come in command order.
  @Test func laterCommandsWaitForTheAnswer() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    rig.talk(1, from: alice, to: "#a")
    rig.h.send("CHATHISTORY LATEST #a * 10", from: alice)
    rig.h.send("CHATHISTORY LATEST #a * 10", from: alice)
    rig.h.send("PING after", from: alice)
    let first = rig.h.historyRequests()
    #expect(first.count == 1)
    #expect(rig.h.lines(for: alice).isEmpty)
    // A stale or mismatched answer is ignored.
    rig.h.answer(.entries(first[0].id + 100, []), for: alice)
    #expect(rig.h.lines(for: alice).isEmpty)
    rig.h.answer(first[0].run(on: rig.store), for: alice)
    #expect(rig.h.messages(for: alice).commands == ["BATCH", "PRIVMSG", "BATCH"])
    let second = rig.h.historyRequests()
    #expect(second.count == 1)
    #expect(second[0].id != first[0].id)
    rig.h.answer(second[0].run(on: rig.store), for: alice)
    #expect(rig.h.messages(for: alice).commands == ["BATCH", "PRIVMSG", "BATCH", "PONG"])
  }

  @Test func requestCarriesTheQuery() {
    let rig = HistoryRig(maxMessages: 25)
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#Room")
    rig.h.send("CHATHISTORY BETWEEN #ROOM msgid=a timestamp=2023-11-14T22:13:20.5Z 30", from: alice)
    let request = rig.h.historyRequests()
    #expect(
      request == [
        HistoryRequest(
          connection: alice, id: request.first?.id ?? 0,
          kind: .entries(
            HistoryQuery(
              target: .channel("#room"),
              selector: .between(.msgid("a"), .timestamp(1_700_000_000_500)), limit: 25,
              messagesOnly: true)))
      ])
  }

  // MARK: TARGETS

  @Test func targetsListsReadableActivityOldestFirst() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let bob = rig.h.connectRegistered("bob", capabilities: HistoryRig.full)
    let carol = rig.h.connectRegistered("carol", capabilities: HistoryRig.full)
    for id in [alice, bob, carol] { rig.logIn(id, as: rig.h.client(id).nick ?? "") }
    rig.h.place(alice, in: "#one")
    rig.h.place(alice, in: "#two")
    rig.h.place(bob, in: "#secret")
    let start = rig.say("PRIVMSG #one :early", from: alice)[0]
    rig.say("PRIVMSG bob :dm", from: alice)
    rig.say("PRIVMSG #secret :not alice's", from: bob)
    rig.say("PRIVMSG #two :later", from: alice)
    rig.say("PRIVMSG bob :private", from: carol)
    let end = rig.say("PRIVMSG #one :latest", from: alice)[0]

    let reply = rig.ask(
      "CHATHISTORY TARGETS \(time(end, plus: 1)) \(time(start, plus: -1)) 10", from: alice)
    #expect(reply.commands == ["BATCH", "CHATHISTORY", "CHATHISTORY", "CHATHISTORY", "BATCH"])
    let id = String(reply[0].params[0].dropFirst())
    #expect(reply[0].params == ["+" + id, "draft/chathistory-targets"])
    #expect(
      reply[1...3].map(\.params) == [
        ["TARGETS", "bob", ServerTime.format(milliseconds: start.timeMilliseconds + 1000)],
        ["TARGETS", "#two", ServerTime.format(milliseconds: start.timeMilliseconds + 3000)],
        ["TARGETS", "#one", ServerTime.format(milliseconds: end.timeMilliseconds)],
      ])
    #expect(reply[1...3].allSatisfy { $0.tag("batch") == .some(id) && $0.source == "irc.test" })
    // Like BETWEEN, the limit applies from the first time: backwards it keeps the most
    // recently active, forwards the earliest; the window bounds what counts.
    let latest = rig.ask(
      "CHATHISTORY TARGETS \(time(end, plus: 1)) \(time(start, plus: -1)) 2", from: alice)
    #expect(latest.with("CHATHISTORY").map { $0.params[1] } == ["#two", "#one"])
    let earliest = rig.ask(
      "CHATHISTORY TARGETS \(time(start, plus: -1)) \(time(end, plus: 1)) 2", from: alice)
    #expect(earliest.with("CHATHISTORY").map { $0.params[1] } == ["bob", "#two"])
    let window = rig.ask(
      "CHATHISTORY TARGETS \(time(start, plus: 500)) \(time(start, plus: 1500)) 10", from: alice)
    #expect(window.with("CHATHISTORY").map { $0.params[1] } == ["bob"])
    // The bounds are exclusive, as for every other subcommand: activity exactly at a bound is
    // not listed, 1 ms inside it is.
    let exact = rig.ask(
      "CHATHISTORY TARGETS \(time(start, plus: 1000)) \(time(start, plus: 2000)) 10", from: alice)
    #expect(exact.with("CHATHISTORY").isEmpty)
    let inside = rig.ask(
      "CHATHISTORY TARGETS \(time(start, plus: 999)) \(time(start, plus: 2000)) 10", from: alice)
    #expect(inside.with("CHATHISTORY").map { $0.params[1] } == ["bob"])
    let upper = rig.ask(
      "CHATHISTORY TARGETS \(time(start, plus: 500)) \(time(start, plus: 1000)) 10", from: alice)
    #expect(upper.with("CHATHISTORY").isEmpty)
    // Someone without an account sees only their channels.
    let guest = rig.h.connectRegistered("guest", capabilities: HistoryRig.full)
    rig.h.send("CHATHISTORY TARGETS \(time(start)) \(time(end)) 10", from: guest)
    let request = rig.h.historyRequests()
    #expect(request.count == 1)
    if case .targets(let candidates, _, _, _)? = request.first?.kind {
      #expect(candidates.isEmpty)
    } else {
      Issue.record("not a TARGETS request")
    }
  }
}

/// How much input may wait behind a history read.
@Suite("CHATHISTORY: waiting input")
struct ChatHistoryWaitingTests {
  @Test func catchUpForManyChannelsIsNotAFlood() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    for index in 0..<60 { rig.h.place(alice, in: "#c\(index)") }
    for index in 0..<60 { rig.h.send("CHATHISTORY LATEST #c\(index) * 10", from: alice) }
    rig.h.send("PING done", from: alice)
    var batches = 0
    while true {
      let requests = rig.h.historyRequests()
      guard !requests.isEmpty else { break }
      for request in requests { rig.h.answer(request.run(on: rig.store), for: alice) }
      batches += 1
    }
    #expect(batches == 60)
    let reply = rig.h.messages(for: alice)
    #expect(reply.with("BATCH").count == 120)
    #expect(reply.last?.command == "PONG")
    #expect(rig.h.closed.isEmpty)
  }

  @Test func aFloodExemptBotMayPipelineSixHundredLinesBehindAReplay() {
    let rig = HistoryRig { $0.commandFlood = CommandFloodLimits() }
    let bot = rig.h.connectRegistered("bot", capabilities: HistoryRig.full)
    rig.h.client(bot).isOperator = true
    rig.h.place(bot, in: "#a")
    rig.h.send("CHATHISTORY LATEST #a * 10", from: bot)
    for _ in 0..<600 { rig.h.send("PING x", from: bot) }
    #expect(rig.h.closed.isEmpty)
    rig.answerAll()
    #expect(rig.h.messages(for: bot).with("PONG").count == 600)
  }

  @Test func floodingBehindAReadDisconnects() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    rig.h.place(alice, in: "#a")
    rig.h.send("CHATHISTORY LATEST #a * 10", from: alice)
    for _ in 0...IRCServerCore.maxDeferredBehindHistory { rig.h.send("PING x", from: alice) }
    #expect(rig.h.closed == [alice])
    #expect(rig.h.lines(for: alice).last?.contains("waiting for history") == true)
  }
}

/// A store whose every call throws, for `HistoryRequest.run`.
private struct BrokenStore: HistoryStore {
  struct Broken: Error {}
  func append(_ entries: [HistoryEntry]) throws { throw Broken() }
  func entries(_ query: HistoryQuery) throws -> [HistoryEntry] { throw Broken() }
  func activeTargets(among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int) throws
    -> [(target: HistoryTarget, lastMilliseconds: Int64)]
  { throw Broken() }
  func deleteEntries(olderThan cutoff: Int64) throws -> Int { throw Broken() }
}

@Suite("HistoryRequest.run")
struct HistoryRequestRunTests {
  @Test func storeErrorsBecomeFailures() {
    let query = HistoryQuery(
      target: .channel("#a"), selector: .latest(after: nil), limit: 1, messagesOnly: false)
    let entries = HistoryRequest(connection: ClientID(1), id: 5, kind: .entries(query))
    #expect(entries.run(on: BrokenStore()) == .failed(5))
    let targets = HistoryRequest(
      connection: ClientID(1), id: 6, kind: .targets(candidates: [], from: 0, to: 1, limit: 1))
    #expect(targets.run(on: BrokenStore()) == .failed(6))
  }
}

/// An ordinary channel's history ends with the channel: whoever creates one of the same name
/// later reads nothing of the earlier one (which may have been secret); a registered room's
/// history is kept for good.
@Suite("History of channels that were emptied")
struct EmptiedChannelHistoryTests {
  @Test func aRecreatedChannelDoesNotShowTheEarlierOnesHistory() {
    let rig = HistoryRig()
    let eve = rig.h.connectRegistered("eve", capabilities: HistoryRig.full)
    rig.say("JOIN #hidden", from: eve)
    rig.say("MODE #hidden +si", from: eve)
    rig.talk(2, from: eve, to: "#hidden")
    rig.say("PART #hidden", from: eve)
    let mallory = rig.h.connectRegistered("mallory", capabilities: HistoryRig.full)
    rig.say("JOIN #hidden", from: mallory)
    rig.say("PRIVMSG #hidden :mine", from: mallory)
    let texts = rig.ask("CHATHISTORY LATEST #hidden * 10", from: mallory)
      .filter { $0.command == "PRIVMSG" }.map { $0.params.last ?? "" }
    #expect(texts == ["mine"])
  }

  @Test func aRegisteredRoomKeepsItsHistoryWhenEmptied() {
    let rig = HistoryRig()
    let ada = rig.h.connectRegistered("ada", capabilities: HistoryRig.full)
    rig.h.client(ada).account = AccountSummary(name: "ada", foldedName: "ada")
    rig.say("JOIN #lab", from: ada)
    rig.talk(2, from: ada, to: "#lab")
    rig.say("PART #lab", from: ada)
    let bob = rig.h.connectRegistered("bob", capabilities: HistoryRig.full)
    rig.say("JOIN #lab", from: bob)
    let texts = rig.ask("CHATHISTORY LATEST #lab * 10", from: bob)
      .filter { $0.command == "PRIVMSG" }.map { $0.params.last ?? "" }
    #expect(texts == ["m0", "m1"])
  }
}
