import Dispatch
import Foundation
import LyceumProtocol
import LyceumStore
import LyceumTransport
import Synchronization
import Testing

@testable import LyceumCore
@testable import LyceumServer

/// A history store in front of the real one whose writes can be made to fail (a full or
/// read-only disk) or to block until released (a stalled disk).
final class FaultyHistoryStore: NetworkPublishingHistoryStore {
  private struct State {
    var failing = false
    var stalled = false
  }

  struct DiskFull: Error, CustomStringConvertible {
    var description: String { "database or disk is full (injected)" }
  }

  let base: any HistoryStore
  private let state = Mutex(State())
  /// Signalled each time a write starts blocking.
  let blocked = DispatchSemaphore(value: 0)
  /// Signalled to let one blocked write through.
  private let gate = DispatchSemaphore(value: 0)

  init(_ base: any HistoryStore) { self.base = base }

  func fail(_ on: Bool) { state.withLock { $0.failing = on } }
  func stall() { state.withLock { $0.stalled = true } }
  /// Lets the blocked write (and every later one) through.
  func release() {
    state.withLock { $0.stalled = false }
    gate.signal()
  }

  /// A node's commit of entries and network events, failing with the others when `fail` is on.
  func append(_ entries: [HistoryEntry], publishing publication: NetworkPublication) throws {
    if state.withLock({ $0.failing }) { throw DiskFull() }
    guard let base = base as? any NetworkPublishingHistoryStore else {
      throw NetworkPublicationUnsupported()
    }
    try base.append(entries, publishing: publication)
  }

  func append(_ entries: [HistoryEntry]) throws {
    let (failing, stalled) = state.withLock { ($0.failing, $0.stalled) }
    if stalled {
      blocked.signal()
      gate.wait()
    }
    if failing { throw DiskFull() }
    try base.append(entries)
  }

  func entries(_ query: HistoryQuery) throws -> [HistoryEntry] { try base.entries(query) }
  func count(_ query: HistoryQuery) throws -> Int { try base.count(query) }
  func activeTargets(
    among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int
  ) throws -> [(target: HistoryTarget, lastMilliseconds: Int64)] {
    try base.activeTargets(among: candidates, from: from, to: to, limit: limit)
  }
  func deleteEntries(olderThan cutoff: Int64) throws -> Int {
    try base.deleteEntries(olderThan: cutoff)
  }
  func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  {
    try base.threads(in: target, before: before, limit: limit)
  }
  func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry] {
    try base.threadEntries(root: root, query: query)
  }
}

extension FaultyHistoryStore {
  private final class Box: @unchecked Sendable {
    var store: FaultyHistoryStore?
  }

  /// A server whose history writes go through a `FaultyHistoryStore`, counting its hub's work
  /// in `upstream`.
  static func server(upstream: UpstreamWork = .shared) throws -> (TestServer, FaultyHistoryStore) {
    let box = Box()
    let server = try TestServer(
      prepare: { _ in }, configure: HistoryE2ETests.unthrottled,
      historyWriteStore: { base in
        let store = FaultyHistoryStore(base)
        box.store = store
        return store
      }, upstream: upstream)
    guard let store = box.store else { throw HarnessFailure(description: "store not wired") }
    return (server, store)
  }
}

/// Keep before deliver (HISTORY.md §3): a message that cannot be kept is not delivered, and a
/// stalled disk holds only the connections whose lines wait behind it.
@Suite struct KeepBeforeDeliverE2ETests {
  @Test func aMessageThatCannotBeKeptIsNotDeliveredAndItsSenderIsTold() throws {
    let (server, store) = try FaultyHistoryStore.server()
    defer { server.stop() }
    let alice = try server.registered(
      "alice", caps: ["echo-message", "labeled-response", "batch", "message-tags"])
    let bob = try server.registered("bob")
    try alice.join("#lab")
    try bob.join("#lab")
    try alice.sync()

    store.fail(true)
    try alice.send("@label=m1 PRIVMSG #lab :lost to the disk")
    let fail = try alice.expect("FAIL")
    #expect(
      fail.params == [
        "PRIVMSG", "TEMPORARILY_UNAVAILABLE", "#lab", "Message could not be kept; not delivered",
      ])
    #expect(fail.tagValue("label") == "m1")
    // An event that already changed the state is delivered even though it is not kept.
    let carol = try server.registered("carol")
    try carol.join("#lab")
    store.fail(false)
    try alice.send("PRIVMSG #lab :kept")

    let seenByBob = try bob.readUntil("the kept message") {
      $0.command == "PRIVMSG" && $0.trailing == "kept"
    }
    #expect(!seenByBob.contains { $0.trailing == "lost to the disk" })
    #expect(seenByBob.contains { $0.command == "JOIN" && $0.sourceNick == "carol" })
    let seenByAlice = try alice.readUntil("the echo") {
      $0.command == "PRIVMSG" && $0.trailing == "kept"
    }
    #expect(!seenByAlice.contains { $0.trailing == "lost to the disk" })
    #expect(server.logs.all.contains { $0.contains("history write failed") })
  }

  /// A message to an offline account that cannot be kept is not promised: its sender gets the
  /// `FAIL` and no `301`, and the recipient finds nothing when it connects.
  @Test func anOfflineMessageThatCannotBeKeptIsRefusedNotPromised() throws {
    let (server, store) = try FaultyHistoryStore.server()
    defer { server.stop() }
    let bob = try server.registered("bob")
    try bob.registerAccount()
    try bob.send("QUIT :bye")
    try bob.expectClosed()
    let alice = try server.registered("alice", caps: ["echo-message"])
    try alice.registerAccount()

    store.fail(true)
    try alice.send("PRIVMSG bob :lost to the disk")
    let seen = try alice.readUntil("FAIL") { $0.command == "FAIL" }
    #expect(seen.map(\.command) == ["FAIL"], "no echo and no 301 before the FAIL: \(seen)")
    #expect(seen.last?.params.prefix(3) == ["PRIVMSG", "TEMPORARILY_UNAVAILABLE", "bob"])
    store.fail(false)
    try alice.send("PRIVMSG bob :kept")
    #expect(
      try alice.readUntil("301") { $0.command == "301" }.map(\.command) == ["PRIVMSG", "301"])

    let back = try server.connect(name: "bob")
    try back.send("PASS bob:a-long-test-password")
    let burst = try back.register(nick: "bob")
    let texts = burst.with("PRIVMSG").map(\.trailing)
    #expect(texts.count == 1 && texts.first?.hasSuffix("] kept") == true, "\(burst)")
  }

  @Test func aStalledDiskHoldsOnlyTheConnectionsWaitingBehindIt() throws {
    let (server, store) = try FaultyHistoryStore.server()
    defer { server.stop() }
    let alice = try server.registered("alice", caps: ["echo-message"])
    let bob = try server.registered("bob")
    let carol = try server.registered("carol")
    let dave = try server.registered("dave")
    try alice.join("#lab")
    try bob.join("#lab")
    try alice.sync()

    store.stall()
    defer { store.release() }  // a failing run must not leave the server stalled
    try alice.send("PRIVMSG #lab :held by the disk")
    #expect(
      store.blocked.wait(timeout: .now() + 5) == .success, "the write never reached the store")
    // Sent once the message waits on the disk, so its PONG queues behind it.
    try bob.send("PING :bob-waits")

    // Carol is shown nothing that waits: her PINGs are answered while the disk is stalled.
    var latencies: [Duration] = []
    for round in 1...20 {
      let start = ContinuousClock.now
      try carol.send("PING :during-stall-\(round)")
      try carol.expect("PONG", timeout: .seconds(2)) { $0.trailing == "during-stall-\(round)" }
      latencies.append(ContinuousClock.now - start)
    }
    latencies.sort()
    // Dave, idle, gets unrelated output (a direct message between guests, which is not kept).
    try carol.send("PRIVMSG dave :unrelated")
    try dave.expect("PRIVMSG", timeout: .seconds(2)) { $0.trailing == "unrelated" }
    print("PING round trip during a store stall: median \(latencies[10]), max \(latencies[19])")

    store.release()
    // Bob sees the held message, then the answer to the PING he sent after it, in order.
    let bobSaw = try bob.readUntil("bob's PONG") { $0.command == "PONG" }
    #expect(bobSaw.map(\.command) == ["PRIVMSG", "PONG"])
    #expect(bobSaw.first?.trailing == "held by the disk")
    try alice.expect("PRIVMSG") { $0.trailing == "held by the disk" }
  }
}

/// The per-connection holds, without sockets.
@Suite struct OutputHoldsTests {
  /// Each byte string the actions send, as `send(client, bytes)`, parts expanded.
  private static func sends(_ actions: [OutputHolds.Action]) -> [String] {
    var sends: [String] = []
    for action in actions {
      switch action {
      case .send(let client, let bytes): sends.append("send(\(client), \(bytes))")
      case .sendPart(let released):
        released.deliveries { client, _, bytes in sends.append("send(\(client), \(bytes))") }
      default: break
      }
    }
    return sends
  }

  private static func part(
    sender: UInt64, to recipients: [UInt64], bytes: Int, failure: Bool
  ) -> OutboxPart {
    var part = OutboxPart()
    part.writes = recipients.map {
      OutboxWrite(
        client: ClientID($0), transportHandle: nil, bytes: Array(repeating: UInt8($0), count: bytes)
      )
    }
    if failure {
      part.failure = OutboxWrite(
        client: ClientID(sender), transportHandle: nil, bytes: Array("FAIL".utf8))
    }
    return part
  }

  @Test func aSenderPastTheBoundIsPausedAndResumedWhenItsMessagesAreKept() {
    var holds = OutputHolds(limit: 1000)
    var actions: [OutputHolds.Action] = []
    let ticket = holds.makeTicket()
    for _ in 0..<3 {
      holds.addKept(
        Self.part(sender: 1, to: [2], bytes: 400, failure: true), ticket: ticket, &actions)
    }
    // The sender answers for its messages; the recipient, whose queue holds them, too.
    #expect(Set(actions.map { "\($0)" }) == ["pauseReading(c1)", "pauseReading(c2)"])
    // Another connection is not held.
    actions = []
    holds.add([9], for: ClientID(3), &actions)
    #expect(actions == [.send(ClientID(3), [9])])
    actions = []
    holds.resolve(ticket, kept: true, &actions)
    #expect(actions.contains(.resumeReading(ClientID(1))))
    #expect(Self.sends(actions).count == 3)
    #expect(holds.isIdle)
  }

  @Test func aFailedMessageGoesToNobodyAndItsSenderGetsTheFailure() {
    var holds = OutputHolds(limit: 1 << 20)
    var actions: [OutputHolds.Action] = []
    let ticket = holds.makeTicket()
    holds.addKept(
      Self.part(sender: 1, to: [1, 2], bytes: 5, failure: true), ticket: ticket, &actions)
    holds.add([7], for: ClientID(2), &actions)  // behind it, for the recipient
    #expect(actions.isEmpty)
    holds.resolve(ticket, kept: false, &actions)
    #expect(Set(Self.sends(actions)) == ["send(c1, [70, 65, 73, 76])", "send(c2, [7])"])
  }
}
