import LyceumProtocol
import Testing

@testable import LyceumCore

/// A core with history on, whose kept entries go into an in-memory store that answers its
/// history requests, as the server does.
private final class ThreadRig {
  let h = CoreHarness {
    $0.historyEnabled = true
    $0.limits.historyMaxMessages = 20
  }
  let store = InMemoryHistoryStore()
  static let full: CapabilitySet = [.batch, .serverTime, .messageTags, .threads]
  /// The time of each kept msgid, as `timestamp=` text.
  private(set) var times: [String: String] = [:]

  /// One second later, `line` from `id`; returns the msgid of what it kept.
  @discardableResult
  func say(_ line: String, from id: ClientID) -> String {
    h.clock.advance(by: .seconds(1))
    h.send(line, from: id)
    let kept = h.takeKept()
    try? store.append(kept)
    for entry in kept {
      times[entry.msgid] = ServerTime.format(milliseconds: entry.timeMilliseconds)
    }
    return kept.last?.msgid ?? ""
  }

  func ask(_ line: String, from id: ClientID) -> [IRCMessage] {
    _ = h.messages(for: id)
    h.send(line, from: id)
    for request in h.historyRequests() {
      h.answer(request.run(on: store), for: request.connection)
    }
    return h.messages(for: id)
  }
}

@Suite("THREADS and THREAD")
struct ThreadsTests {
  /// ada and bob in `#lab`: a root, two replies (one to the other), an unrelated message, and
  /// a second root with one reply. Returns the rig, the clients and the msgids.
  private func lab() -> (ThreadRig, ada: ClientID, bob: ClientID, ids: [String]) {
    let rig = ThreadRig()
    let ada = rig.h.connectRegistered("ada", capabilities: ThreadRig.full)
    let bob = rig.h.connectRegistered("bob", capabilities: [])
    rig.h.place(ada, in: "#lab")
    rig.h.place(bob, in: "#lab")
    let root = rig.say("PRIVMSG #lab :Has anyone calibrated the spectrometer?", from: ada)
    let first = rig.say("@+reply=\(root) PRIVMSG #lab :Yes, on Monday", from: bob)
    let second = rig.say("@+draft/reply=\(first) PRIVMSG #lab :Which *lamp*?", from: ada)
    let other = rig.say("PRIVMSG #lab :Lunch?", from: bob)
    let answer = rig.say("@+reply=\(other) PRIVMSG #lab :Sure", from: ada)
    return (rig, ada, bob, [root, first, second, other, answer])
  }

  @Test func capabilityIsOfferedOnlyWithHistory() {
    let (rig, ada, _, _) = lab()
    let caps = rig.h.exchange("CAP LS 302", from: ada).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(caps.contains("lyceum.chat/threads"))
    let off = CoreHarness()
    let client = off.connect()
    let offCaps = off.exchange("CAP LS 302", from: client).flatMap {
      ($0.params.last ?? "").split(separator: " ").map(String.init)
    }
    #expect(!offCaps.contains("lyceum.chat/threads"))
    let zed = off.connectRegistered("zed")
    #expect(off.exchange("THREADS #a", from: zed).commands == ["421"])
    #expect(off.exchange("THREAD #a x LATEST * 5", from: zed).commands == ["421"])
  }

  @Test func threadsListsNewestActivityFirstInABatch() {
    let (rig, ada, _, ids) = lab()
    let reply = rig.ask("THREADS #lab", from: ada)
    #expect(reply.commands == ["BATCH", "THREADS", "THREADS", "BATCH"])
    let batch = String(reply[0].params[0].dropFirst())
    #expect(reply[0].params == ["+" + batch, "lyceum.chat/threads", "#lab"])
    #expect(reply[1].tags == [IRCTag("batch", batch)])
    let times = ids.map { rig.times[$0] ?? "" }
    #expect(
      reply[1].params == ["#lab", ids[3], times[3], "bob", "1", times[4], "bob,ada", "Lunch?"])
    #expect(
      reply[2].params == [
        "#lab", ids[0], times[0], "ada", "2", times[2], "ada,bob",
        "Has anyone calibrated the spectrometer?",
      ])
    // Paging: after the first thread, and by time.
    let next = rig.ask("THREADS #lab msgid=\(ids[3]) 5", from: ada).with("THREADS")
    #expect(next.map { $0.params[1] } == [ids[0]])
    let limited = rig.ask("THREADS #lab 1", from: ada).with("THREADS")
    #expect(limited.map { $0.params[1] } == [ids[3]])
    let older = rig.ask("THREADS #lab timestamp=\(times[4]) 5", from: ada).with("THREADS")
    #expect(older.map { $0.params[1] } == [ids[0]])
    #expect(rig.ask("THREADS #lab * 5", from: ada).with("THREADS").count == 2)
  }

  @Test func threadReplaysOneThreadWithChathistoryReferences() {
    let (rig, ada, bob, ids) = lab()
    let reply = rig.ask("THREAD #lab \(ids[0]) LATEST * 10", from: ada)
    #expect(reply.commands == ["BATCH", "PRIVMSG", "PRIVMSG", "PRIVMSG", "BATCH"])
    #expect(Array(reply[0].params.dropFirst()) == ["lyceum.chat/thread", "#lab", ids[0]])
    #expect(reply[1...3].map { $0.tag("msgid") } == [ids[0], ids[1], ids[2]].map { .some($0) })
    #expect(reply[3].tag("+draft/reply") == .some(ids[1]))
    let before = rig.ask("THREAD #lab msgid=\(ids[0]) BEFORE msgid=\(ids[2]) 1", from: ada)
    #expect(before.with("PRIVMSG").map { $0.tag("msgid") } == [.some(ids[1])])
    let between = rig.ask(
      "THREAD #lab \(ids[0]) BETWEEN msgid=\(ids[0]) msgid=\(ids[2]) 10", from: ada)
    #expect(between.with("PRIVMSG").map { $0.tag("msgid") } == [.some(ids[1])])
    // A reply's msgid stands for its thread; a client without batch gets bare lines.
    let bare = rig.ask("THREAD #lab \(ids[2]) AFTER msgid=\(ids[0]) 10", from: bob)
    #expect(bare.commands == ["PRIVMSG", "PRIVMSG"])
    #expect(bare.map { $0.params.last } == ["Yes, on Monday", "Which *lamp*?"])
    // An unknown root is an empty batch, as an unknown msgid is for CHATHISTORY.
    #expect(rig.ask("THREAD #lab nope LATEST * 10", from: ada).commands == ["BATCH", "BATCH"])
  }

  @Test func membersOnlyAndSecretRoomsDoNotLeak() {
    let (rig, ada, _, ids) = lab()
    let eve = rig.h.connectRegistered("eve", capabilities: ThreadRig.full)
    rig.h.channel("#lab").modes.secret = true
    for line in ["THREADS #lab", "THREAD #lab \(ids[0]) LATEST * 10"] {
      let reply = rig.ask(line, from: eve)
      #expect(reply.commands == ["FAIL"])
      #expect(reply.first?.params[1] == "INVALID_TARGET")
    }
    let nowhere = rig.ask("THREADS #nowhere", from: eve)
    #expect(
      nowhere.first?.params == [
        "THREADS", "INVALID_TARGET", "#nowhere", "Messages could not be retrieved",
      ])
    #expect(rig.ask("THREADS #lab", from: ada).with("THREADS").count == 2)
  }

  @Test func malformedCommandsAreInvalidParams() {
    let (rig, ada, _, ids) = lab()
    for line in [
      "THREADS", "THREADS #lab * 5 6", "THREADS #lab bogus 5", "THREADS #lab * x",
      "THREAD #lab", "THREAD #lab \(ids[0]) SIDEWAYS * 5", "THREAD #lab \(ids[0]) LATEST * ",
      "THREAD #lab \(ids[0]) BEFORE bogus 5", "THREAD #lab \(ids[0]) LATEST * 5 6",
      "THREAD #lab \(ids[0]) BETWEEN * 5",
    ] {
      let reply = rig.ask(line, from: ada)
      #expect(reply.commands == ["FAIL"], "\(line)")
      #expect(reply.first?.params[1] == "INVALID_PARAMS", "\(line)")
    }
  }

  @Test func aLabelledThreadsNestsItsBatch() {
    let (rig, _, _, ids) = lab()
    let cat = rig.h.connectRegistered(
      "cat", capabilities: ThreadRig.full.union(.labeledResponse))
    rig.h.place(cat, in: "#lab")
    let reply = rig.ask("@label=t1 THREADS #lab 1", from: cat)
    #expect(reply.commands == ["BATCH", "BATCH", "THREADS", "BATCH", "BATCH"])
    #expect(reply[0].tags == [IRCTag("label", "t1")])
    #expect(reply[0].params.dropFirst() == ["labeled-response"])
    #expect(reply[1].params.dropFirst() == ["lyceum.chat/threads", "#lab"])
    #expect(reply[2].params[1] == ids[3])
  }

  @Test func aStoreFailureIsMessageError() {
    let (rig, ada, _, ids) = lab()
    _ = rig.h.messages(for: ada)
    rig.h.send("THREAD #lab \(ids[0]) LATEST * 5", from: ada)
    for request in rig.h.historyRequests() {
      rig.h.answer(.failed(request.id), for: request.connection)
    }
    #expect(
      rig.h.messages(for: ada).first?.params == [
        "THREAD", "MESSAGE_ERROR", "#lab", ids[0], "Messages could not be retrieved",
      ])
  }
}
