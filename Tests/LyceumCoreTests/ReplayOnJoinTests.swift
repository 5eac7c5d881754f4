import LyceumProtocol
import Testing

@testable import LyceumCore

/// Replay on join: a session without `draft/chathistory` joining a channel with history gets
/// its last messages after the JOIN burst, marked as history and formatted for its
/// capabilities; its next commands wait for the replay.
@Suite("Replay on join")
struct ReplayOnJoinTests {
  /// A core with history on whose requests are answered from an in-memory store; bob posts to
  /// #lab before anyone else joins.
  private final class Rig {
    let h: CoreHarness
    let store = InMemoryHistoryStore()
    let bob: ClientID

    init(replayOnJoin: Int = 3, messages: Int = 5) {
      h = CoreHarness {
        $0.historyEnabled = true
        $0.limits.replayOnJoin = replayOnJoin
      }
      bob = h.register(nick: "bob", caps: ["draft/chathistory"])
      h.send("JOIN #lab", from: bob)
      h.send("TOPIC #lab :Spectra", from: bob)
      for index in 0..<messages {
        h.clock.advance(by: .seconds(60))
        h.send("PRIVMSG #lab :m\(index)", from: bob)
      }
      h.send("NOTICE #lab :heads-up", from: bob)
      h.send("TAGMSG #lab", from: bob)
      persist()
      _ = h.lines(for: bob)
      h.clock.advance(by: .seconds(60))
    }

    func persist() { try? store.append(h.takeKept()) }

    /// Answers every outstanding history request from the store.
    func answerAll() {
      persist()
      for request in h.historyRequests() {
        h.answer(request.run(on: store), for: request.connection)
      }
    }
  }

  @Test func plainClientGetsMarkedReplayWithVisibleTimes() {
    let rig = Rig()
    let h = rig.h
    let plain = h.register(nick: "nc")
    h.send("JOIN #lab", from: plain)
    #expect(h.messages(for: plain).commands == ["JOIN", "332", "333", "353", "366"])
    let requests = h.historyRequests()
    #expect(requests.count == 1)
    guard case .catchUp(let request)? = requests.first?.kind else {
      Issue.record("expected a replay request, got \(requests)")
      return
    }
    #expect(request.targets == [.init(target: .channel("#lab"), readUpTo: nil)])
    #expect(request.limit == 3)
    h.answer(requests[0].run(on: rig.store), for: plain)
    let replay = h.messages(for: plain)
    #expect(replay.commands == ["NOTICE", "PRIVMSG", "PRIVMSG", "NOTICE", "NOTICE"])
    #expect(replay.first?.source == "irc.test")
    #expect(replay.first?.params == ["#lab", "--- Last 3 messages of #lab ---"])
    #expect(replay.last?.params == ["#lab", "--- End of history ---"])
    #expect(replay[1].source?.hasPrefix("bob!") == true)
    // 2023-11-14T22:13:20Z + 4 minutes for m3.
    #expect(replay[1].params == ["#lab", "[2023-11-14 22:17] m3"])
    #expect(replay[2].params == ["#lab", "[2023-11-14 22:18] m4"])
    #expect(replay[3].params == ["#lab", "[2023-11-14 22:18] heads-up"])
    #expect(replay.allSatisfy { $0.tags.isEmpty })
  }

  @Test func serverTimeAndBatchClientGetsTimeTagsInAChathistoryBatch() {
    let rig = Rig()
    let h = rig.h
    let modern = h.register(nick: "modern", caps: ["server-time", "batch"])
    h.send("JOIN #lab", from: modern)
    _ = h.lines(for: modern)
    rig.answerAll()
    let replay = h.messages(for: modern)
    #expect(
      replay.commands == ["NOTICE", "BATCH", "PRIVMSG", "PRIVMSG", "NOTICE", "BATCH", "NOTICE"])
    #expect(replay[1].params.dropFirst() == ["chathistory", "#lab"])
    let id = String(replay[1].params[0].dropFirst())
    #expect(replay[2].params == ["#lab", "m3"])
    #expect(replay[2].tag("batch") == .some(id))
    #expect(
      replay[2].tag("time") == .some(ServerTime.format(milliseconds: 1_700_000_000_000 + 240_000)))
    #expect(replay[5].params == ["-" + id])
  }

  @Test func serverTimeWithoutBatchGetsTimeTagsBare() {
    let rig = Rig()
    let h = rig.h
    let id = h.register(nick: "st", caps: ["server-time"])
    h.send("JOIN #lab", from: id)
    _ = h.lines(for: id)
    rig.answerAll()
    let replay = h.messages(for: id)
    #expect(replay.commands == ["NOTICE", "PRIVMSG", "PRIVMSG", "NOTICE", "NOTICE"])
    #expect(replay[1].params == ["#lab", "m3"])
    #expect(replay[1].hasTag("time"))
  }

  @Test func nextCommandsWaitForTheReplay() {
    let rig = Rig()
    let h = rig.h
    let plain = h.register(nick: "nc")
    h.send("JOIN #lab", from: plain)
    h.send("PRIVMSG #lab :hello", from: plain)
    h.send("PING :x", from: plain)
    _ = h.lines(for: plain)
    #expect(h.messages(for: rig.bob).with("PRIVMSG").isEmpty)  // the PRIVMSG waits too
    rig.answerAll()
    let after = h.messages(for: plain)
    #expect(after.commands == ["NOTICE", "PRIVMSG", "PRIVMSG", "NOTICE", "NOTICE", "PONG"])
    #expect(h.messages(for: rig.bob).with("PRIVMSG").first?.params == ["#lab", "hello"])
  }

  @Test func chathistoryClientsGetNoReplay() {
    let rig = Rig()
    let h = rig.h
    let modern = h.register(nick: "modern", caps: ["draft/chathistory", "batch"])
    h.send("JOIN #lab", from: modern)
    #expect(h.historyRequests().isEmpty)
  }

  @Test func zeroDisablesIt() {
    let rig = Rig(replayOnJoin: 0)
    let h = rig.h
    let plain = h.register(nick: "nc")
    h.send("JOIN #lab", from: plain)
    #expect(h.historyRequests().isEmpty)
    #expect(h.exchange("PING :x", from: plain).commands == ["PONG"])
  }

  @Test func channelWithoutHistoryGetsNothing() {
    let rig = Rig()
    let h = rig.h
    let plain = h.register(nick: "nc")
    h.send("JOIN #empty", from: plain)
    _ = h.lines(for: plain)
    rig.answerAll()
    #expect(h.lines(for: plain).isEmpty)
    #expect(h.exchange("PING :x", from: plain).commands == ["PONG"])
  }

  @Test func severalChannelsInOneJoinAreReplayedInOrder() {
    let rig = Rig(replayOnJoin: 1)
    let h = rig.h
    h.send("JOIN #two", from: rig.bob)
    h.send("PRIVMSG #two :second", from: rig.bob)
    rig.persist()
    let plain = h.register(nick: "nc")
    h.send("JOIN #two,#empty,#lab", from: plain)
    _ = h.lines(for: plain)
    rig.answerAll()
    let replay = h.messages(for: plain)
    #expect(
      replay.map { $0.params.last ?? "" } == [
        "--- Last message of #two ---", "[2023-11-14 22:19] second", "--- End of history ---",
        "--- Last message of #lab ---", "[2023-11-14 22:18] heads-up", "--- End of history ---",
      ])
  }

  @Test func labelledJoinGetsBurstAndReplayInOneBatch() {
    let rig = Rig(replayOnJoin: 2)
    let h = rig.h
    let id = h.register(nick: "lab", caps: ["labeled-response", "batch"])
    h.send("@label=j1 JOIN #lab", from: id)
    #expect(h.lines(for: id).isEmpty)  // held for the replay
    rig.answerAll()
    let all = h.messages(for: id)
    #expect(all.first?.command == "BATCH")
    #expect(all.first?.tag("label") == .some("j1"))
    #expect(all.first?.params.last == "labeled-response")
    #expect(all.dropFirst().first?.command == "JOIN")
    #expect(all.with("NOTICE").first?.params.last == "--- Last 2 messages of #lab ---")
    #expect(all.with("BATCH").count == 4)  // labeled-response and chathistory
    #expect(all.last?.command == "BATCH")
  }

  @Test func failedReadLeavesTheJoinAloneAndReleasesInput() {
    let rig = Rig()
    let h = rig.h
    let plain = h.register(nick: "nc")
    h.send("JOIN #lab", from: plain)
    h.send("PING :x", from: plain)
    _ = h.lines(for: plain)
    let request = h.historyRequests()[0]
    h.answer(.failed(request.id), for: plain)
    #expect(h.messages(for: plain).commands == ["PONG"])
  }

  @Test func actionKeepsItsCTCPFrame() {
    let text = IRCServerCore.stamped("\u{1}ACTION waves\u{1}", at: 1_700_000_000_000)
    #expect(text == "\u{1}ACTION [2023-11-14 22:13] waves\u{1}")
  }
}
