import Foundation
import LyceumCore
import LyceumProtocol
import LyceumServer
import Testing

/// Two nodes (`network:`) on one PostgreSQL schema, in this process, behave as one server to
/// their clients: a room shared across them, messages both ways with one msgid, nicks unique
/// across the network, topic, modes, kicks and quits seen on both, direct messages, and one
/// history. The node that dies with `kill -9` is in `NetworkNodeLossE2ETests`.
@Suite(.enabled(if: PostgresServerSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct NetworkE2ETests {
  static let caps = historyCaps + ["echo-message"]

  @Test func twoNodesServeOneRoom() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice", caps: Self.caps)
    try alice.join("#consortium")
    let bob = try network.b.registered("bob", caps: Self.caps)
    let bobJoin = try bob.joinOnceKnown("#consortium", openedBy: "alice")
    #expect(bobJoin.with("353").first?.trailing.contains("@alice") == true, "\(bobJoin)")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }

    try alice.send("PRIVMSG #consortium :hello from node A")
    let echo = try alice.expect("PRIVMSG") { $0.trailing == "hello from node A" }
    let relayed = try bob.expect("PRIVMSG") { $0.trailing == "hello from node A" }
    #expect(relayed.msgid != nil && relayed.msgid == echo.msgid)
    #expect(relayed.sourceNick == "alice")

    try bob.send("PRIVMSG #consortium :and hello from node B")
    try alice.expect("PRIVMSG") { $0.trailing == "and hello from node B" && $0.sourceNick == "bob" }

    // Direct messages cross nodes too.
    try bob.send("PRIVMSG alice :just between us")
    try alice.expect("PRIVMSG") { $0.params.first == "alice" && $0.trailing == "just between us" }

    // One history: B's CHATHISTORY has what A kept, with A's msgid.
    let history = try bob.chathistory("LATEST #consortium * 20")
    #expect(history.messages.contains { $0.msgid == echo.msgid }, "\(history.messages)")
  }

  @Test func nicksAreUniqueAcrossTheNetwork() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice")
    try alice.sync()
    // The nick is taken on A: B refuses it at registration and as a nick change.
    let copycat = try network.b.connect(name: "copycat")
    try NetworkE2ETests.waitUntil("B refuses the nick alice", copycat) {
      try copycat.send("NICK alice")
      let seen = try copycat.sync()
      return seen.contains { $0.command == "433" }
    }
    try copycat.send("NICK carol")
    try copycat.send("USER carol 0 * :Carol")
    try copycat.expect("001")
    try copycat.send("NICK Alice")
    try copycat.expect("433")
    // Two registrations with one nick at once, one on each node: exactly one gets it.
    let first = try network.a.connect(name: "first")
    let second = try network.b.connect(name: "second")
    let registration = Array("NICK dora\r\nUSER dora 0 * :Dora\r\n".utf8)
    try first.sendRaw(registration, note: "NICK and USER")
    try second.sendRaw(registration, note: "NICK and USER")
    let outcomes = try [first, second].map { client in
      try client.readUntil("001 or 433") { ["001", "433"].contains($0.command) }.last?.command ?? ""
    }
    #expect(outcomes.sorted() == ["001", "433"], "\(outcomes)")
    // A nick given up on one node can be taken on the other.
    try alice.send("NICK alicia")
    try alice.expect("NICK")
    try NetworkE2ETests.waitUntil("B lets carol take alice", copycat) {
      try copycat.send("NICK alice")
      return try copycat.sync().contains { $0.command == "NICK" && $0.trailing == "alice" }
    }
  }

  @Test func channelStateIsTheSameOnBothNodes() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice", caps: Self.caps)
    try alice.join("#state")
    let bob = try network.b.registered("bob", caps: Self.caps)
    try bob.joinOnceKnown("#state", openedBy: "alice")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }

    try alice.send("TOPIC #state :shared topic")
    try bob.expect("TOPIC") { $0.trailing == "shared topic" }
    try alice.send("MODE #state +m")
    try bob.expect("MODE") { $0.params.dropFirst().first == "+m" }
    try bob.send("PRIVMSG #state :am I heard?")
    try bob.expect("404")
    try alice.send("MODE #state +v bob")
    try bob.expect("MODE") { $0.params.dropFirst().first == "+v" }
    try bob.send("PRIVMSG #state :voiced now")
    try alice.expect("PRIVMSG") { $0.trailing == "voiced now" }

    // A newcomer on B gets the topic that was set on A.
    let carol = try network.b.registered("carol")
    let joined = try carol.join("#state")
    #expect(joined.with("332").first?.trailing == "shared topic", "\(joined)")
    try carol.send("MODE #state")
    let modes = try carol.expect("324")
    #expect(modes.params.dropFirst(2).first?.contains("m") == true, "\(modes)")

    // A kick on A removes bob on B; a quit on B is seen on A.
    try alice.send("KICK #state bob :enough")
    try bob.expect("KICK") { $0.params.dropFirst().first == "bob" }
    try carol.expect("KICK") { $0.params.dropFirst().first == "bob" }
    try carol.send("QUIT :bye")
    try alice.expect("QUIT") { $0.sourceNick == "carol" }
    #expect(try !alice.names("#state").contains("carol"))
  }

  @Test func aNodeThatStartsLaterLearnsTheNetwork() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let a = try TwoNodes.node("a", schema)
    defer { a.stop() }
    let alice = try a.registered("alice")
    try alice.join("#early")
    try alice.send("TOPIC #early :before B existed")
    try alice.sync()
    let b = try TwoNodes.node("b", schema)
    defer { b.stop() }
    let bob = try b.registered("bob")
    let joined = try bob.joinOnceKnown("#early", openedBy: "alice")
    #expect(joined.with("332").first?.trailing == "before B existed", "\(joined)")
    try bob.send("WHOIS alice")
    let whois = try bob.expect("311")
    #expect(whois.params.dropFirst().first == "alice")
    // The server she is on is A, as on any IRC network.
    let server = try bob.expect("312")
    #expect(server.params.dropFirst(2).first == "a.lyceum.local", "\(server)")
  }

  @Test func aNodeThatStopsTakesItsUsersWithIt() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice")
    try alice.join("#room")
    let bob = try network.b.registered("bob")
    try bob.joinOnceKnown("#room", openedBy: "alice")
    network.a.stop()
    try bob.expect("QUIT") { $0.sourceNick == "alice" }
    #expect(try !bob.names("#room").contains("alice"))
    // Its nick is free again at once (the node left cleanly).
    try bob.send("NICK alice")
    try bob.expect("NICK") { $0.trailing == "alice" }
  }

  @Test func accountsRoomsInvitesRedactionsAndKillsCrossNodes() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let caps = Self.caps + ["draft/message-redaction", "account-notify"]
    // A login after registration is seen on B (WHOIS shows the account).
    let alice = try network.a.registered("alice", caps: caps)
    try alice.registerAccount()
    let bob = try network.b.registered("bob", caps: caps)
    try NetworkE2ETests.waitUntil("B sees alice logged in", bob) {
      try bob.send("WHOIS alice")
      return try bob.sync().contains { $0.command == "330" }
    }
    // The account reserves its name on B too, once alice goes by another nick.
    try alice.send("NICK ally")
    try alice.expect("NICK")
    try NetworkE2ETests.waitUntil("B knows alice as ally", bob) {
      try bob.send("WHOIS ally")
      return try bob.sync().contains { $0.command == "311" }
    }
    try bob.send("NICK alice")
    let refused = try bob.expect("433")
    #expect(refused.trailing.contains("reserved"), "\(refused)")
    // A room registered on A is registered on B.
    try alice.join("#registered")
    try NetworkE2ETests.waitUntil("B knows #registered is registered", bob) {
      try bob.send("ROOM INFO #registered")
      return try bob.sync().contains {
        $0.command == "NOTE" && $0.params.dropFirst().first == "INFO"
      }
    }
    // INVITE across nodes lets bob into a +i room on A.
    try alice.join("#private")
    try alice.send("MODE #private +i")
    try alice.expect("MODE")
    try NetworkE2ETests.waitUntil("B knows #private is +i", bob) {
      try bob.send("MODE #private")
      return try bob.sync().contains { $0.command == "324" && $0.params[2].contains("i") }
    }
    try bob.send("JOIN #private")
    try bob.expect("473")
    try alice.send("INVITE bob #private")
    try bob.expect("INVITE") { $0.params.last == "#private" }
    try bob.send("JOIN #private")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }
    // A message sent on B can be redacted on B and the redaction reaches A.
    try bob.send("PRIVMSG #private :oops")
    let sent = try bob.expect("PRIVMSG") { $0.trailing == "oops" }
    try alice.expect("PRIVMSG") { $0.trailing == "oops" }
    let msgid = try #require(sent.msgid)
    try alice.send("REDACT #private \(msgid) :channel operator on A")
    try alice.expect("REDACT") { $0.params.dropFirst().first == msgid }
    try bob.expect("REDACT") { $0.params.dropFirst().first == msgid }
    // An IRC operator on A kills a user of B: B ends the session, and A sees the quit.
    try alice.send("OPER root secret-oper-password")
    try alice.expect("381")
    try alice.send("KILL bob :enough for today")
    let farewell = try bob.expectClosed()
    #expect(farewell.contains { $0.command == "ERROR" && $0.trailing.contains("Killed") })
    try alice.expect("QUIT") { $0.sourceNick == "bob" }
  }

  /// A multiline message, a read marker and a knock reach the other node's clients.
  @Test func multilineReadMarkersAndKnocksCrossNodes() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let password = "a-long-test-password"
    let caps = Self.caps + ["draft/multiline", "batch", "draft/read-marker"]
    let alice = try network.a.registered("alice", caps: caps)
    try alice.registerAccount(password: password)
    try alice.join("#room")
    // The same account on B, as a client of its own there.
    let aliceOnB = try network.b.connect(name: "alice-on-b")
    try aliceOnB.registerWithPlain(nick: "alice2", account: "alice", password: password, caps: caps)
    try aliceOnB.joinOnceKnown("#room", openedBy: "alice")
    let bob = try network.b.registered("bob", caps: Self.caps)
    try bob.join("#room")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }

    try alice.send("BATCH +m1 draft/multiline #room")
    try alice.send("@batch=m1 PRIVMSG #room :first line")
    try alice.send("@batch=m1 PRIVMSG #room :second line")
    try alice.send("BATCH -m1")
    // bob has no draft/multiline: the lines one by one; alice on B: the batch.
    try bob.expect("PRIVMSG") { $0.trailing == "first line" }
    try bob.expect("PRIVMSG") { $0.trailing == "second line" }
    try aliceOnB.expect("BATCH") { $0.params.dropFirst().first == "draft/multiline" }

    try alice.send("MARKREAD #room timestamp=2026-01-01T00:00:00.000Z")
    try alice.expect("MARKREAD")
    let marker = try aliceOnB.expect("MARKREAD") { $0.params.first == "#room" }
    #expect(marker.params.last == "timestamp=2026-01-01T00:00:00.000Z")

    try alice.send("MODE #room +i")
    try bob.expect("MODE") { $0.params.dropFirst().first == "+i" }
    let carol = try network.b.registered("carol")
    try carol.send("KNOCK #room :please")
    try carol.expect("711")
    try alice.expect("710") { $0.params.contains { $0.hasPrefix("carol!") } }
  }

  /// Both nodes create one channel at once: each joins its own user first, then hears of the
  /// other. The older channel wins, so both nodes end with the same members and ranks.
  @Test func aChannelCreatedOnTwoNodesAtOnceEndsTheSameOnBoth() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice")
    let bob = try network.b.registered("bob")
    try alice.send("JOIN #race")
    try bob.send("JOIN #race")
    // Conflicting values: only one key can stand, the older channel's.
    try alice.send("MODE #race +sk alpha")
    try bob.send("MODE #race +mk bravo")
    try NetworkE2ETests.waitUntil("A sees bob in #race", alice) {
      try alice.names("#race").contains { $0.hasSuffix("bob") }
    }
    try NetworkE2ETests.waitUntil("B sees alice in #race", bob) {
      try bob.names("#race").contains { $0.hasSuffix("alice") }
    }
    // Either side may still have the other's last change on its way: ask both until they
    // agree.
    var onA: [String] = []
    try NetworkE2ETests.waitUntil("A and B agree on the members of #race", bob) {
      onA = try alice.names("#race").sorted()
      return try bob.names("#race").sorted() == onA
    }
    #expect(onA.filter { $0.hasPrefix("@") }.count >= 1, "\(onA)")
    // Both sides may still have the other's last change on its way: ask both until they agree.
    var modes: ([String], [String]) = ([], [])
    do {
      try NetworkE2ETests.waitUntil("A and B agree on the modes of #race", bob) {
        try alice.send("MODE #race")
        try bob.send("MODE #race")
        modes = (
          Array(try alice.expect("324").params.dropFirst(2)),
          Array(try bob.expect("324").params.dropFirst(2))
        )
        return modes.0 == modes.1
      }
    } catch {
      Issue.record("modes on A \(modes.0), on B \(modes.1); names \(onA)")
      throw error
    }
  }

  /// The others took node A's lease (as they do when it stops renewing it): B's users see
  /// A's users quit; A ends its own sessions rather than talk on unseen, and joins again as a
  /// new node, where its users come back and meet B's again.
  @Test func aNodeThatLostItsLeaseEndsItsSessionsAndJoinsAgain() throws {
    let network = try TwoNodes()
    defer { network.stop() }
    let alice = try network.a.registered("alice")
    try alice.join("#room")
    let bob = try network.b.registered("bob")
    try bob.joinOnceKnown("#room", openedBy: "alice")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }
    // What a sweeping node does, in one transaction, for node A.
    try network.schema.run([
      "SELECT pg_advisory_xact_lock(\(0x4C79_6365_756E))",
      """
      WITH gone AS (DELETE FROM network_nodes WHERE name = 'a' RETURNING node)
      INSERT INTO network_events (node, payload)
      SELECT node, json_build_object('nodeLost', json_build_object('node', node))::text FROM gone
      """,
    ])
    try bob.expect("QUIT") { $0.sourceNick == "alice" }
    let farewell = try alice.expectClosed()
    #expect(
      farewell.contains { $0.command == "ERROR" && $0.trailing.contains("lost contact") },
      "\(farewell)")
    // A is a node again: alice's nick is free (her claim went with A's row).
    let back = try network.a.registered("alice")
    try back.join("#room")
    try bob.expect("JOIN") { $0.sourceNick == "alice" }
    try NetworkE2ETests.waitUntil("A knows bob again", back) {
      try back.names("#room").contains { $0.hasSuffix("bob") }
    }
  }

  /// A commit of node A's events fails (the database refused it): the other nodes never saw
  /// those changes, so A ends its sessions and joins again rather than keep a view of its own.
  @Test func aNodeWhoseEventsCouldNotBeCommittedJoinsAgain() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    final class Box: @unchecked Sendable { var store: FaultyHistoryStore? }
    let box = Box()
    let a = try TwoNodes.node("a", schema) { base in
      let store = FaultyHistoryStore(base)
      box.store = store
      return store
    }
    defer { a.stop() }
    let b = try TwoNodes.node("b", schema)
    defer { b.stop() }
    let faulty = try #require(box.store)
    let alice = try a.registered("alice")
    try alice.join("#room")
    let bob = try b.registered("bob")
    try bob.joinOnceKnown("#room", openedBy: "alice")
    try alice.expect("JOIN") { $0.sourceNick == "bob" }
    faulty.fail(true)
    try alice.send("PART #room :B will never hear of this")
    try alice.expect("PART")
    let farewell = try alice.expectClosed()
    #expect(farewell.contains { $0.command == "ERROR" }, "\(farewell)")
    // B does not keep a member A no longer has: A left under its old id, so alice quits.
    try bob.expect("QUIT") { $0.sourceNick == "alice" }
    #expect(try !bob.names("#room").contains { $0.hasSuffix("alice") })
    faulty.fail(false)
    let back = try a.registered("alice")
    try back.join("#room")
    try bob.expect("JOIN") { $0.sourceNick == "alice" }
  }

  /// Asks `condition` until it holds; each try is a round trip to the server (the wait), with
  /// a deadline.
  static func waitUntil(
    _ what: String, _ client: TestClient, timeout: Duration = .seconds(10),
    _ condition: () throws -> Bool
  ) throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
      guard ContinuousClock.now < deadline else { throw client.failure("waiting until \(what)") }
      try client.sync()
    }
  }
}

/// Two in-process nodes, `a` and `b`, on a schema of their own.
struct TwoNodes {
  let schema: PostgresServerSchema
  let a: TestServer
  let b: TestServer

  init() throws {
    schema = try PostgresServerSchema()
    a = try Self.node("a", schema)
    b = try Self.node("b", schema)
  }

  /// A node of the network in `schema`, with a short lease so that tests see a lost node soon.
  static func node(
    _ name: String, _ schema: PostgresServerSchema,
    historyWriteStore: @escaping @Sendable (any HistoryStore) -> any HistoryStore = { $0 }
  ) throws -> TestServer {
    let store = try schema.configuration()
    return try TestServer(
      prepare: { _ in },
      configure: { configuration in
        HistoryE2ETests.unthrottled(&configuration)
        configuration.store = store
        configuration.serverName = "\(name).lyceum.local"
        configuration.network = NetworkConfiguration(node: name, lease: .seconds(2))
        configuration.operators = [
          OperatorConfiguration(name: "root", password: "secret-oper-password")
        ]
      }, historyWriteStore: historyWriteStore)
  }

  func stop() {
    a.stop()
    b.stop()
    schema.remove()
  }
}

extension TestClient {
  /// Joins `channel` once this client's node knows it from another node, where `op` opened it
  /// (`NAMES` shows `@op`): joined earlier, the client would open a channel of its own.
  @discardableResult
  func joinOnceKnown(_ channel: String, openedBy op: String) throws -> [IRCMessage] {
    try NetworkE2ETests.waitUntil("this node knows \(channel)", self) {
      try names(channel).contains("@" + op)
    }
    return try join(channel)
  }

  /// The names `NAMES` lists for `channel`, with their prefixes.
  func names(_ channel: String) throws -> [String] {
    try send("NAMES \(channel)")
    let seen = try readUntil("366") { $0.command == "366" }
    return seen.with("353").flatMap { $0.trailing.split(separator: " ").map(String.init) }
  }
}
