import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("Server queries")
struct ServerQueryTests {
  @Test func versionStartsWith351() {
    let h = CoreHarness { $0.version = "lyceum-9.9" }
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("VERSION", from: alice)
    #expect(replies.first?.command == "351")
    #expect(replies.first?.numericParams.prefix(2) == ["lyceum-9.9", "irc.test"])
    #expect(h.exchange("VERSION elsewhere.example", from: alice).commands == ["402"])
  }

  @Test func timeHasServerTimestampAndText() {
    let h = CoreHarness(clock: ManualClock(wallClockMilliseconds: 1_700_000_000_000))
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("TIME", from: alice)
    #expect(replies.commands == ["391"])
    #expect(
      replies[0].numericParams == [
        "irc.test", "1700000000", "Tuesday November 14 2023 -- 22:13:20 UTC",
      ])
    #expect(h.exchange("TIME irc.test", from: alice).commands == ["391"])
    #expect(h.exchange("TIME other.example", from: alice).commands == ["402"])
  }

  @Test func humanReadableTimeAroundTheEpoch() {
    #expect(ServerTime.humanReadable(milliseconds: 0) == "Thursday January 1 1970 -- 00:00:00 UTC")
    #expect(
      ServerTime.humanReadable(milliseconds: 951_782_400_000)
        == "Tuesday February 29 2000 -- 00:00:00 UTC")
  }

  @Test func infoLinesThenEnd() {
    let h = CoreHarness { $0.info = ["one", "two"] }
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("INFO", from: alice)
    #expect(replies.commands == ["371", "371", "374"])
    #expect(replies.map { $0.params.last! } == ["one", "two", "End of INFO list"])
  }

  @Test func lusersCounts() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let ghost = h.connectRegistered("ghost")
    h.client(ghost).isInvisible = true
    h.client(ghost).isOperator = true
    h.connect()
    h.place(alice, in: "#a")
    let replies = h.exchange("LUSERS", from: alice)
    #expect(replies.commands == ["251", "252", "253", "254", "255", "265", "266"])
    #expect(replies[0].numericParams == ["There are 1 users and 1 invisible on 1 servers"])
    #expect(replies[1].numericParams == ["1", "operator(s) online"])
    #expect(replies[2].numericParams == ["1", "unknown connection(s)"])
    #expect(replies[3].numericParams == ["1", "channels formed"])
    #expect(replies[4].numericParams == ["I have 2 clients and 0 servers"])
    #expect(replies[5].numericParams == ["2", "2", "Current local users 2, max 2"])
    #expect(replies[6].numericParams == ["2", "2", "Current global users 2, max 2"])
  }

  @Test func theRunningCountOfRegisteredClientsFollowsQuits() {
    let h = CoreHarness()
    // Registered the way clients register, so the count moves as it does in the server.
    let a = h.register(nick: "a")
    let b = h.register(nick: "b")
    h.register(nick: "c")
    h.send("QUIT", from: b)
    #expect(h.core.registeredClientCount == 2)
    h.register(nick: "d")
    #expect(h.core.registeredClientCount == 3)
    #expect(h.core.clientCounts.maxGlobal == 3)
    let lusers = h.exchange("LUSERS", from: a)
    #expect(lusers.last?.numericParams == ["3", "3", "Current global users 3, max 3"])
  }

  @Test func lusersOmitsZeroOperatorsAndUnknowns() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    #expect(h.exchange("LUSERS", from: alice).commands == ["251", "254", "255", "265", "266"])
  }

  @Test func motdAndMissingMotd() {
    let h = CoreHarness { $0.motd = ["Hello", "World"] }
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("MOTD", from: alice)
    #expect(replies.commands == ["375", "372", "372", "376"])
    #expect(replies[0].numericParams == ["- irc.test Message of the day - "])
    #expect(replies[1].numericParams == ["- Hello"])
    #expect(replies[3].numericParams == ["End of /MOTD command."])
    let empty = CoreHarness { $0.motd = [] }
    let bob = empty.connectRegistered("bob")
    let missing = empty.exchange("MOTD", from: bob)
    #expect(missing.commands == ["422"])
    #expect(missing[0].numericParams == ["MOTD File is missing"])
  }

  @Test func userhostShowsOperAndAwayMarks() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice", user: "al")
    let bob = h.connectRegistered("bob", user: "bb", ip: "192.0.2.5")
    h.client(bob).isOperator = true
    h.client(bob).awayMessage = "out"
    let replies = h.exchange("USERHOST alice BOB nobody", from: alice)
    #expect(replies.commands == ["302"])
    #expect(replies[0].numericParams == ["alice=+al@198.51.100.7 bob*=-bb@192.0.2.5"])
    #expect(h.exchange("USERHOST", from: alice).commands == ["461"])
  }

  @Test func isonListsOnlineNicksInTheirOwnCase() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    h.connectRegistered("Bob")
    #expect(h.exchange("ISON bob carol alice", from: alice)[0].numericParams == ["Bob alice"])
    #expect(h.exchange("ISON :bob carol", from: alice)[0].numericParams == ["Bob"])
    #expect(h.exchange("ISON carol", from: alice)[0].numericParams == [""])
    #expect(h.exchange("ISON", from: alice).commands == ["461"])
  }
}

@Suite("HELP")
struct HelpTests {
  @Test func indexListsEveryCommand() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("HELP", from: alice)
    #expect(replies.first?.command == "704")
    #expect(replies.last?.command == "706")
    #expect(Set(replies.map { $0.params[1] }) == ["*"])
    let words = Set(
      replies.with("705").flatMap { $0.params.last!.split(separator: " ").map(String.init) })
    for command in IRCServerCore.commandTable.keys { #expect(words.contains(command)) }
  }

  @Test func everyCommandHasHelp() {
    for command in IRCServerCore.commandTable.keys {
      #expect(HelpTexts.commands[command] != nil, "no HELP text for \(command)")
    }
  }

  @Test func topicIsCaseInsensitive() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("HELP join", from: alice)
    #expect(replies.commands == ["704", "705", "705", "705", "706"])
    #expect(replies.allSatisfy { $0.params[1] == "JOIN" })
    #expect(replies[1].params.last == "")
    #expect(replies[2].params.last?.hasPrefix("Syntax: JOIN") == true)
    #expect(replies[4].params.last == "End of /HELP")
  }

  @Test func unknownTopicGets524() {
    let h = CoreHarness()
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("HELP frobnicate", from: alice)
    #expect(replies.commands == ["524"])
    #expect(replies[0].numericParams == ["FROBNICATE", "No help available on this topic"])
    #expect(h.exchange("HELP :two words", from: alice)[0].numericParams.first == "*")
  }
}

@Suite("Reply packing")
struct ReplyPackingTests {
  @Test func packsWordsIntoLinesOf512BytesAtMost() {
    var replies = Replies(
      serverName: "irc.test", target: "nick", session: CoreHarness.detachedSession())
    let words = (0..<200).map { "word\($0)" }
    replies.numericList(.namReply, params: ["=", "#c"], words: words)
    var seen: [String] = []
    for (index, message) in replies.messages.enumerated() {
      var bytes: [UInt8] = []
      message.appendSerialized(to: &bytes)
      #expect(bytes.count <= 512)
      if index < replies.messages.count - 1 { #expect(bytes.count > 500) }
      seen += message.params.last!.split(separator: " ").map(String.init)
    }
    #expect(seen == words)
  }

  @Test func emptyListAddsNothingAndOversizedWordStandsAlone() {
    var replies = Replies(
      serverName: "irc.test", target: "nick", session: CoreHarness.detachedSession())
    replies.numericList(.namReply, params: [], words: [])
    #expect(replies.messages.isEmpty)
    replies.numericList(
      .namReply, params: [], words: ["a", String(repeating: "x", count: 600), "b"])
    #expect(replies.messages.map { $0.params.last!.count } == [1, 600, 1])
  }

  @Test func utf8PrefixNeverSplitsAScalar() {
    #expect("héllo".prefixFitting(utf8Bytes: 2) == "h")
    #expect("héllo".prefixFitting(utf8Bytes: 3) == "hé")
    #expect("abc".prefixFitting(utf8Bytes: 10) == "abc")
  }
}
