import Foundation
import LyceumProtocol
import Testing

/// A node of a network killed with `kill -9` in the middle of a conversation: two real
/// `lyceumd` processes share one PostgreSQL schema; a sender on node A pipelines messages to a
/// room that a reader on node B is in, and A dies at a seeded random moment. Then:
/// - B's reader sees the sender quit within the lease and a heartbeat;
/// - every message either client received (the sender's echoes on A, the reader's lines on B)
///   is in the history;
/// - the sender reconnects to B under the same nick (free once A's lease ran out) and fills
///   its gap with `CHATHISTORY AFTER` the last message it saw.
@Suite(.enabled(if: PostgresServerSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct NetworkNodeLossE2ETests {
  static let channel = CrashDurabilityE2ETests.channel
  static let lease = Duration.seconds(2)

  @Test func aKilledNodesUsersQuitAndNothingAnyoneSawIsLost() throws {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    _ = ignoreSIGPIPEOnce
    let seed = CrashDurabilityE2ETests.seed()
    var random = SplitMix64(seed: seed)
    let killAtRelayed = Int.random(in: 50...1500, using: &random)
    print("node loss test: seed \(seed) (LYCEUM_CRASH_SEED), kill after \(killAtRelayed) relayed")
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let nodeA = try Self.start("a", binary: binary, schema: schema)
    defer { nodeA.process.kill() }
    let nodeB = try Self.start("b", binary: binary, schema: schema)
    defer { nodeB.process.kill() }

    let caps = historyCaps + ["echo-message"]
    // The reader on B makes the room a registered one, so its history outlives any member.
    let reader = try TestClient(port: nodeB.tls, tls: true, name: "reader")
    try reader.register(nick: "reader", caps: caps)
    try reader.registerAccount()
    try reader.join(Self.channel)
    let sender = try TestClient(port: nodeA.tls, tls: true, name: "sender")
    try sender.register(nick: "sender", caps: caps)
    try sender.joinOnceKnown(Self.channel, openedBy: "reader")
    try reader.expect("JOIN") { $0.sourceNick == "sender" }

    // Pipeline until the reader has been relayed `killAtRelayed` lines, then kill A.
    var echoed: [String] = []
    var relayed: [String] = []
    var sent = 0
    while relayed.count < killAtRelayed {
      if sent - echoed.count < 200 {
        let lines = (sent..<sent + 20).map { "PRIVMSG \(Self.channel) :m\($0)\r\n" }
        try sender.sendRaw(Array(lines.joined().utf8), note: "20 PRIVMSGs from m\(sent)")
        sent += 20
      }
      while let message = try sender.next(timeout: .zero) {
        if message.command == "PRIVMSG", let msgid = message.msgid { echoed.append(msgid) }
      }
      while let message = try reader.next(timeout: .milliseconds(5)) {
        if message.command == "PRIVMSG", let msgid = message.msgid { relayed.append(msgid) }
      }
    }
    nodeA.process.signal(SIGKILL)
    let killedAt = ContinuousClock.now
    #expect(nodeA.process.waitForExit() == SIGKILL)
    // What was on its way to either client when A died still counts as received.
    while !sender.isClosed, let message = try sender.next(timeout: .milliseconds(100)) {
      if message.command == "PRIVMSG", let msgid = message.msgid { echoed.append(msgid) }
    }
    let quit = try reader.readUntil(timeout: .seconds(15), "the sender's QUIT") {
      $0.command == "QUIT" && $0.sourceNick == "sender"
    }
    let seen = ContinuousClock.now - killedAt
    relayed += quit.filter { $0.command == "PRIVMSG" }.compactMap(\.msgid)
    print(
      "node loss test: \(echoed.count) echoed, \(relayed.count) relayed; QUIT seen on B "
        + "\(seen) after the kill (lease \(Self.lease))")
    #expect(seen < Self.lease * 3, "the lost node's users must quit within the lease and a beat")

    // Everything either client saw is in the history (read on B).
    let history = try CrashDurabilityE2ETests.readBackwards(reader, pageSize: 500)
    let kept = Set(history.map(\.msgid))
    let missing = Set(echoed + relayed).subtracting(kept)
    #expect(missing.isEmpty, "\(missing.count) received messages are not in history")

    // The sender comes back on B under its own nick and fills its gap.
    let back = try TestClient(port: nodeB.tls, tls: true, name: "sender-again")
    try back.register(nick: "sender", caps: caps)
    try back.join(Self.channel)
    let lastSeen = try #require(echoed.last)
    let gap = try CrashDurabilityE2ETests.readForwards(
      back, from: KeptEntry(msgid: lastSeen, command: "PRIVMSG", text: ""), pageSize: 500)
    let afterLastSeen = history.drop { $0.msgid != lastSeen }.dropFirst().map(\.msgid)
    #expect(Array(gap.map(\.msgid).prefix(afterLastSeen.count)) == Array(afterLastSeen))
  }

  /// Starts node `name` of the network in `schema`, and returns it with its TLS port.
  static func start(_ name: String, binary: String, schema: PostgresServerSchema) throws -> (
    process: ChildProcess, tls: Int
  ) {
    let directory = TestServer.makeTemporaryDirectory()
    let configPath = directory + "/node.yaml"
    let configuration =
      CrashDurabilityE2ETests.configuration + """

        store: '\(schema.storeURL)'
        network:
          node: \(name)
          lease: \(Int(lease.components.seconds))s
        """
    try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
    let process = try ChildProcess(
      binary,
      [
        "--config", configPath, "--data-dir", directory, "--listen", "127.0.0.1:0",
        "--tls-listen", "127.0.0.1:0", "--server-name", "\(name).lyceum.local",
      ])
    let ports = try Lyceumd.waitForPorts(process)
    return (process, ports.tls)
  }
}
