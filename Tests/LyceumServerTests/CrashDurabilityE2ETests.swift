import Foundation
import LyceumProtocol
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The promise of kept history: every message that any client received, its own echo
/// included, is in the history after `kill -9` of the server and a restart. The real `lyceumd`
/// binary runs as a child process; the kill comes at a seeded random moment while one client
/// pipelines thousands of messages. It runs on SQLite and, when a server is configured, on
/// PostgreSQL (`store: postgresql://…`, a schema of its own).
@Suite struct CrashDurabilityE2ETests {
  /// Messages the sender offers at most; the kill normally comes well before the last.
  static let total = 6000
  /// Lines per write, and how many may be sent but not yet echoed.
  static let chunk = 40
  static let window = 400
  static let channel = "#durable"

  @Test(arguments: ServerTestStore.all)
  func everyReceivedMessageIsInHistoryAfterKill9AndRestart(store: ServerTestStore) throws {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    _ = ignoreSIGPIPEOnce
    let seed = Self.seed()
    var random = SplitMix64(seed: seed)
    let killDelay = Duration.milliseconds(Int.random(in: 100...600, using: &random))
    let killAtEchoes = Int.random(in: 300...(Self.total - 500), using: &random)
    print(
      "crash test (\(store)): seed \(seed) (rerun with LYCEUM_CRASH_SEED=\(seed)); kill after "
        + "\(killDelay) or \(killAtEchoes) echoes, whichever comes first")

    let dataDirectory = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    let configPath = dataDirectory + "/crash-test.yaml"
    let schema = store == .postgresql ? try PostgresServerSchema() : nil
    defer { schema?.remove() }
    let storeLine = schema.map { "\nstore: '\($0.storeURL)'\n" } ?? ""
    try (Self.configuration + storeLine).write(
      toFile: configPath, atomically: true, encoding: .utf8)
    let arguments = [
      "--config", configPath, "--data-dir", dataDirectory, "--listen", "127.0.0.1:0",
      "--tls-listen", "127.0.0.1:0", "--server-name", "crash.lyceum.local",
    ]

    // The first life of the server: talk until the kill.
    let first = try ChildProcess(binary, arguments)
    defer { first.kill() }
    let firstPorts = try Lyceumd.waitForPorts(first)
    let caps = historyCaps + ["echo-message"]
    let recorder = try TestClient(port: firstPorts.tls, tls: true, name: "recorder")
    try recorder.register(nick: "recorder", caps: caps)
    // Logged in, the recorder creates a registered room: only those keep their history
    // beyond the channel's life (an ordinary channel's history ends with it).
    try recorder.registerAccount()
    let recorderJoin = try recorder.join(Self.channel)
    let sender = try TestClient(port: firstPorts.tls, tls: true, name: "sender")
    try sender.register(nick: "sender", caps: caps)
    let senderJoin = try sender.join(Self.channel)

    // Both clients' JOINs carry msgids too: they count as received like the messages.
    var run = Run()
    for message in recorderJoin + senderJoin where message.params.first == Self.channel {
      if let msgid = message.msgid { run.received.insert(msgid) }
    }
    let started = ContinuousClock.now
    let giveUp = started + .seconds(10)
    while true {
      // Fill the window, then check for the kill before reading: the server dies with
      // hundreds of lines in flight, some being committed, some echoed but not yet read.
      while run.sent < Self.total && run.sent - run.echoed.count < Self.window {
        let count = min(Self.chunk, Self.total - run.sent)
        let lines = (run.sent..<run.sent + count).map { "PRIVMSG \(Self.channel) :m\($0)\r\n" }
        try sender.sendRaw(Array(lines.joined().utf8), note: "\(count) PRIVMSGs from m\(run.sent)")
        run.sent += count
      }
      let elapsed = ContinuousClock.now - started
      if elapsed >= killDelay || run.echoed.count >= killAtEchoes
        || run.echoed.count == Self.total
      {
        first.signal(SIGKILL)
        run.killedAfter = elapsed
        run.echoedAtKill = run.echoed.count
        break
      }
      try run.drain(sender, as: .sender, timeout: .milliseconds(1))
      try run.drain(recorder, as: .recorder, timeout: .zero)
      guard ContinuousClock.now < giveUp else {
        throw sender.failure("sent \(run.sent), echoed \(run.echoed.count): too slow")
      }
    }
    #expect(first.waitForExit(timeout: .seconds(5)) != nil, "lyceumd survived SIGKILL")
    #expect(first.termination == .signaled(SIGKILL))
    // Whatever was already on its way when the server died was received too: read to the end.
    for (client, role) in [(sender, Run.Role.sender), (recorder, Run.Role.recorder)] {
      let deadline = ContinuousClock.now + .seconds(5)
      while !client.isClosed, ContinuousClock.now < deadline {
        try run.drain(client, as: role, timeout: .milliseconds(50))
      }
      #expect(client.isClosed, "\(client.name) still connected after the kill")
    }

    // The second life: read all of the channel's history.
    let second = try ChildProcess(binary, arguments)
    defer { second.kill() }
    let secondPorts = try Lyceumd.waitForPorts(second)
    let reader = try TestClient(port: secondPorts.tls, tls: true, name: "reader")
    let welcome = try reader.register(nick: "reader", caps: historyCaps + ["draft/event-playback"])
    let pageSize = try #require(TestClient.chathistoryLimit(in: welcome), "no CHATHISTORY=")
    try reader.join(Self.channel)
    let backwards = try Self.readBackwards(reader, pageSize: pageSize)
    let forwards = try Self.readForwards(reader, from: backwards.first, pageSize: pageSize)
    #expect(
      forwards == Array(backwards.dropFirst()),
      "paging AFTER from the oldest differs from paging BEFORE from the latest")

    let kept = Set(backwards.map(\.msgid))
    let received = run.received
    let missing = received.subtracting(kept).sorted()
    let keptMessages = backwards.filter { $0.command == "PRIVMSG" }
    let neverShown = keptMessages.filter { !received.contains($0.msgid) }.count
    print(
      "crash test (\(store)): seed \(seed): sent \(run.sent), echoed \(run.echoedAtKill) at the kill "
        + "(\(run.killedAfter.map { "\($0)" } ?? "?") after the first message), "
        + "\(run.echoed.count) echoes and \(run.relayed.count) relayed to the recorder in all; "
        + "received \(received.count) msgids; history after restart holds \(backwards.count) "
        + "entries (\(keptMessages.count) PRIVMSGs, \(neverShown) of them committed but never "
        + "shown); missing \(missing.count)")
    let nothingMissing = missing.isEmpty
    let example = missing.prefix(10).joined(separator: " ")
    #expect(
      nothingMissing,
      "\(missing.count) received msgids not in history after kill -9 (seed \(seed)): \(example)")
    #expect(run.echoed.count > 0, "the kill came before any echo: nothing was tested")
    // What history holds is what was shown, in the order the sender's echoes came.
    let keptOrder = keptMessages.map(\.msgid)
    let positions = Dictionary(keptOrder.enumerated().map { ($1, $0) }) { first, _ in first }
    let echoPositions = run.echoed.compactMap { positions[$0] }
    #expect(echoPositions == echoPositions.sorted(), "history order differs from echo order")
    let keptTexts = keptMessages.map(\.text)
    #expect(Set(keptTexts).count == keptTexts.count, "a message is kept twice")
    #expect(
      keptTexts.allSatisfy {
        $0.hasPrefix("m") && Int($0.dropFirst()).map { $0 < run.sent } == true
      }, "history holds a message that was never sent")
  }

  /// The channel's whole history, oldest first: `LATEST *`, then `BEFORE msgid=` the oldest
  /// seen until a page comes back empty.
  static func readBackwards(_ reader: TestClient, pageSize: Int) throws -> [KeptEntry] {
    var entries = try page(reader, "LATEST \(channel) * \(pageSize)")
    var requests = 1
    while let oldest = entries.first {
      let earlier = try page(reader, "BEFORE \(channel) msgid=\(oldest.msgid) \(pageSize)")
      requests += 1
      guard !earlier.isEmpty else { break }
      #expect(earlier.count <= pageSize)
      entries = earlier + entries
      guard requests < 1000 else { throw reader.failure("paging backwards does not end") }
    }
    return entries
  }

  /// Everything after `oldest`, oldest first, by `AFTER msgid=` the newest seen.
  static func readForwards(
    _ reader: TestClient, from oldest: KeptEntry?, pageSize: Int
  ) throws -> [KeptEntry] {
    guard var last = oldest else { return [] }
    var entries: [KeptEntry] = []
    var requests = 0
    while true {
      let later = try page(reader, "AFTER \(channel) msgid=\(last.msgid) \(pageSize)")
      requests += 1
      guard let newest = later.last else { break }
      entries += later
      last = newest
      guard requests < 1000 else { throw reader.failure("paging forwards does not end") }
    }
    return entries
  }

  static func page(_ reader: TestClient, _ arguments: String) throws -> [KeptEntry] {
    let reply = try reader.chathistory(arguments)
    if let fail = reply.fail { throw reader.failure("CHATHISTORY \(arguments): \(fail)") }
    return try reply.messages.map { message in
      guard let msgid = message.msgid else { throw reader.failure("no msgid on \(message)") }
      return KeptEntry(msgid: msgid, command: message.command, text: message.trailing)
    }
  }

  /// The seed of a run: `LYCEUM_CRASH_SEED` to repeat one, else a new random one.
  static func seed() -> UInt64 {
    ProcessInfo.processInfo.environment["LYCEUM_CRASH_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64(UInt32.max))
  }

  /// No flood limits: the sender pipelines as fast as the server takes its lines, and the
  /// reader pages through thousands of entries.
  static let configuration = """
    flood:
      command-burst: 1000000
      command-rate: 1000000
      command-queue: 1000000
      history-burst: 100000
      history-rate: 100000
    connections:
      exempt-ips: ["127.0.0.1"]
    """
}

/// One entry of the history read back.
struct KeptEntry: Equatable {
  let msgid: String
  let command: String
  let text: String
}

/// What the two clients received before (and as) the server died.
private struct Run {
  enum Role { case sender, recorder }

  var sent = 0
  /// The msgids of the sender's echoes, in order.
  var echoed: [String] = []
  /// The msgids of the messages the recorder was relayed.
  var relayed: [String] = []
  /// Every msgid either client received for the channel (JOINs included).
  var received: Set<String> = []
  var echoedAtKill = 0
  var killedAfter: Duration?

  /// Reads what `client` has now (waiting at most `timeout` for the first line) and records
  /// the channel's msgids.
  mutating func drain(_ client: TestClient, as role: Role, timeout: Duration) throws {
    var wait = timeout
    while !client.isClosed, let message = try client.next(timeout: wait) {
      wait = .zero
      guard message.params.first == CrashDurabilityE2ETests.channel, let msgid = message.msgid
      else { continue }
      received.insert(msgid)
      guard message.command == "PRIVMSG" else { continue }
      switch role {
      case .sender where message.sourceNick == "sender": echoed.append(msgid)
      case .recorder: relayed.append(msgid)
      default: break
      }
    }
  }
}

/// A small seeded generator, so that a failing run can be repeated with the same timing.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
