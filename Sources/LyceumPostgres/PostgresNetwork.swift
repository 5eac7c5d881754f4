import Foundation
import LyceumCore

/// One node's link to the network of lyceumd processes that share a PostgreSQL database.
///
/// - **Membership**: the node has a row in `network_nodes` for this run, with a lease it
///   renews every `heartbeat`. A node whose lease has run out (killed, frozen, cut off) is
///   deleted by whichever node sees it first, in a transaction that also publishes
///   `nodeLost`; its nick claims go with its row. So its users' sessions end for everyone
///   within `lease` + `heartbeat`.
/// - **Nicks**: `claim` inserts into `network_nicks`, whose primary key decides between two
///   nodes that want the same nick at once.
/// - **Events**: a node's events are rows of `network_events`, written in the same transaction
///   as the history they go with (`publish`, called by `PostgresHistoryStore`), then announced
///   with `NOTIFY`. The link's thread waits on `LISTEN` on a connection of its own, reads every
///   row after the last one it read, in id order, and hands the other nodes' events over.
///   A notification is only a wake-up: a missed one (a reconnect) costs at most `heartbeat`,
///   after which the link reads anyway, and nothing is lost.
///
/// `@unchecked Sendable`: the mutable state (`lastEventID`, the thread's flags) is guarded by
/// `lock` or touched only on the link's thread.
public final class PostgresNetwork: @unchecked Sendable {
  public let database: PostgresDatabase
  /// This node's id now: `name` and a random suffix, new at every start and every time the
  /// node joins again (`rejoin`).
  public var node: String { lock.withLock { currentNode } }
  public let name: String
  public let lease: Duration
  public let heartbeat: Duration
  private let lock = NSLock()
  private var running = false
  private var thread: Thread?
  private let stopped = DispatchSemaphore(value: 0)
  private var lastEventID: Int64 = 0
  private var currentNode: String
  /// Set by `requestRejoin()`; the link's thread joins again at its next turn.
  private var rejoinRequested = false

  /// What the link reports to the server.
  public struct Handlers: Sendable {
    /// Events of other nodes, in the network's order; returns once they are applied.
    public var deliver: @Sendable ([NetworkEnvelope]) -> Void
    /// This node's view may differ from the network's (its lease was taken away, or a commit
    /// of its events failed; the reason is given): the server must end its sessions and
    /// forget the other nodes' clients, then run the closure, which makes this a new node
    /// and returns its id, and give the core that id.
    public var rejoin: @Sendable (String, () throws -> String) throws -> Void
    /// Something failed (the database unreachable); the link keeps trying.
    public var failure: @Sendable (String) -> Void

    public init(
      deliver: @escaping @Sendable ([NetworkEnvelope]) -> Void,
      rejoin: @escaping @Sendable (String, () throws -> String) throws -> Void,
      failure: @escaping @Sendable (String) -> Void
    ) {
      self.deliver = deliver
      self.rejoin = rejoin
      self.failure = failure
    }
  }

  /// The advisory lock every publishing transaction takes before it writes events.
  static let publishLockKey: Int64 = 0x4C79_6365_756E

  public init(
    database: PostgresDatabase, name: String, lease: Duration = .seconds(10),
    heartbeat: Duration? = nil
  ) {
    self.database = database
    self.name = name
    self.currentNode = Self.freshID(name)
    self.lease = lease
    self.heartbeat = heartbeat ?? max(.milliseconds(100), lease / 4)
  }

  // MARK: - Membership

  private static func freshID(_ name: String) -> String {
    name + "-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
  }

  /// Asks the link's thread to make this a new node, when it is still `node` (a commit of the
  /// events it published as `node` failed, so the others did not see them). A failure of what
  /// an earlier id published (the farewells of a rejoin) changes nothing.
  public func requestRejoin(ifStill node: String) {
    lock.withLock { if currentNode == node { rejoinRequested = true } }
  }

  /// Leaves under the old id if the database still has it (the others drop its users and its
  /// nick claims go), then registers under a new one; returns the new id.
  private func becomeNewNode() throws -> String {
    try? leave()
    let fresh = Self.freshID(name)
    // A request that came meanwhile was for the old id's failures (the farewells published
    // while the hub ended its sessions): the new id starts clean.
    lock.withLock {
      currentNode = fresh
      rejoinRequested = false
    }
    try register()
    return fresh
  }

  /// Registers this node (its lease starts now) and remembers where the event log ends, so
  /// that only what happens from now on is read; then says hello, so that the other nodes send
  /// what they serve.
  public func register() throws {
    try database.write { connection in
      try connection.query(
        """
        INSERT INTO network_nodes (node, name, lease_until)
        VALUES ($1, $2, now() + $3::bigint * interval '1 millisecond')
        """, [node, name, leaseMilliseconds])
    }
    let last = try database.read { connection in
      try connection.query("SELECT coalesce(max(id), 0) FROM network_events").rows[0].int(0)
    }
    lock.withLock { lastEventID = max(lastEventID, last) }
    try publishAlone([.hello])
  }

  /// Leaves the network: the node's row goes (its nick claims with it) and the others drop
  /// whoever is still known to be here.
  public func leave() throws {
    try database.write { connection in
      try connection.query("SELECT pg_advisory_xact_lock($1)", [Self.publishLockKey])
      let gone = try connection.query(
        "DELETE FROM network_nodes WHERE node = $1 RETURNING node", [node])
      guard !gone.isEmpty else { return }
      try Self.insertEvents(origin: node, [.nodeLost(node: node)], connection)
      try connection.query("SELECT pg_notify($1, '')", [database.notificationChannel])
    }
  }

  private var leaseMilliseconds: Int64 {
    lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
  }

  /// Renews the lease; false when the node's row is gone.
  func renewLease(_ connection: PostgresConnection) throws -> Bool {
    let renewed = try connection.query(
      """
      UPDATE network_nodes SET lease_until = now() + $2::bigint * interval '1 millisecond'
      WHERE node = $1 RETURNING node
      """, [node, leaseMilliseconds])
    return !renewed.isEmpty
  }

  /// Deletes every node whose lease has run out, each with a `nodeLost` event published in the
  /// same transaction (as if from the lost node, so every node applies it, this one too).
  /// Returns the nodes deleted.
  @discardableResult
  public func sweepLostNodes() throws -> [String] {
    let expired = try database.read { connection in
      try connection.query("SELECT node FROM network_nodes WHERE lease_until < now()")
        .rows.map { try $0.text(0) }
    }
    var lost: [String] = []
    for candidate in expired where candidate != node {
      let deleted = try database.write { connection -> Bool in
        try connection.query("SELECT pg_advisory_xact_lock($1)", [Self.publishLockKey])
        let gone = try connection.query(
          "DELETE FROM network_nodes WHERE node = $1 AND lease_until < now() RETURNING node",
          [candidate])
        guard !gone.isEmpty else { return false }
        try Self.insertEvents(origin: candidate, [.nodeLost(node: candidate)], connection)
        try connection.query("SELECT pg_notify($1, '')", [database.notificationChannel])
        return true
      }
      if deleted { lost.append(candidate) }
    }
    return lost
  }

  // MARK: - Nicks

  /// Claims `claim.folded` for the client; true when it is now this client's (it was free, or
  /// already its own), false when another holds it. Throws when the database cannot answer
  /// (or this node is no longer registered: the row its claims hang from is gone).
  public func claim(_ claim: NickClaim) throws -> Bool {
    try database.write { connection in
      !(try connection.query(
        """
        INSERT INTO network_nicks (folded, node, client) VALUES ($1, $2, $3)
        ON CONFLICT (folded) DO UPDATE SET client = excluded.client
        WHERE network_nicks.node = excluded.node AND network_nicks.client = excluded.client
        RETURNING client
        """, [claim.folded, node, Int64(bitPattern: claim.client)]
      ).isEmpty)
    }
  }

  /// Gives up a claim (or all of a client's). Errors are reported; the claim then stays until
  /// the client's next release or the node's row goes.
  public func release(_ release: NickRelease) throws {
    try database.write { connection in
      try connection.query(
        """
        DELETE FROM network_nicks
        WHERE node = $1 AND client = $2 AND ($3::text IS NULL OR folded = $3)
        """, [node, Int64(bitPattern: release.client), release.nick])
    }
  }

  // MARK: - Events

  /// Writes `publication` in the transaction of `connection`: its events under the publishing
  /// lock, and the `NOTIFY` (sent when the transaction commits).
  static func publish(
    _ publication: NetworkPublication, notifying channel: String, _ connection: PostgresConnection
  ) throws {
    guard !publication.events.isEmpty else { return }
    try connection.query("SELECT pg_advisory_xact_lock($1)", [publishLockKey])
    try insertEvents(origin: publication.node, publication.events, connection)
    try connection.query("SELECT pg_notify($1, '')", [channel])
  }

  private static func insertEvents(
    origin: String, _ events: [NetworkEvent], _ connection: PostgresConnection
  ) throws {
    let encoder = JSONEncoder()
    let payloads = try events.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    try connection.query(
      "INSERT INTO network_events (node, payload) SELECT $1, unnest($2::text[])",
      [origin, PostgresValue.textArray(payloads)])
  }

  /// Publishes events that go with no history (the link's own `hello`).
  func publishAlone(_ events: [NetworkEvent]) throws {
    let publication = NetworkPublication(node: node, events: events)
    try database.write { connection in
      try Self.publish(publication, notifying: database.notificationChannel, connection)
    }
  }

  /// The events after `lastEventID`, at most `limit` rows read; and whether the limit was
  /// reached (more may follow).
  func readEvents(_ connection: PostgresConnection, limit: Int = 1000) throws -> (
    events: [NetworkEnvelope], full: Bool
  ) {
    let after = lock.withLock { lastEventID }
    let decoder = JSONDecoder()
    var events: [NetworkEnvelope] = []
    let rows = try connection.query(
      "SELECT id, node, payload FROM network_events WHERE id > $1 ORDER BY id LIMIT $2",
      [after, Int64(limit)]
    ).rows
    for row in rows {
      // An event this version cannot read (a newer node's) is skipped, never fatal.
      guard
        let event = try? decoder.decode(NetworkEvent.self, from: Data(try row.text(2).utf8))
      else { continue }
      events.append(NetworkEnvelope(origin: try row.text(1), event: event))
    }
    if let last = rows.last {
      let id = try last.int(0)
      lock.withLock { lastEventID = id }
    }
    return (events, rows.count >= limit)
  }

  // MARK: - The link's thread

  /// Starts the thread that listens, reads events, renews the lease and sweeps lost nodes.
  public func start(_ handlers: Handlers) {
    lock.withLock { running = true }
    let thread = Thread { [self] in run(handlers) }
    thread.name = "lyceum.network"
    self.thread = thread
    thread.start()
  }

  /// Stops the thread (within one heartbeat) and waits for it.
  public func stop() {
    let wasRunning = lock.withLock {
      defer { running = false }
      return running
    }
    if wasRunning { stopped.wait() }
  }

  private var isRunning: Bool { lock.withLock { running } }

  private func run(_ handlers: Handlers) {
    defer { stopped.signal() }
    var connection: PostgresConnection?
    var nextBeat = ContinuousClock.now
    var nextCleanup = ContinuousClock.now
    var lastFailure: String?
    while isRunning {
      do {
        if connection == nil || connection?.isBroken == true {
          let fresh = try database.dedicatedConnection()
          try fresh.execute("LISTEN \(database.notificationChannel)")
          connection = fresh
        }
        guard let listener = connection else { continue }
        let requested = lock.withLock {
          defer { rejoinRequested = false }
          return rejoinRequested
        }
        if requested {
          do {
            try handlers.rejoin("a commit of this node's events failed") {
              try becomeNewNode()
            }
          } catch {
            lock.withLock { rejoinRequested = true }  // again at the next turn
            throw error
          }
        }
        if ContinuousClock.now >= nextBeat {
          nextBeat = ContinuousClock.now + heartbeat
          if try !renewLease(listener) {
            try handlers.rejoin("the others took this node's lease") { try becomeNewNode() }
          }
          try sweepLostNodes()
          if ContinuousClock.now >= nextCleanup {
            nextCleanup = ContinuousClock.now + .seconds(60)
            // Every node has read these long ago (a node more than an hour behind has lost
            // its lease and starts afresh).
            try listener.query("DELETE FROM network_events WHERE at < now() - interval '1 hour'")
          }
        }
        // Read to the end of the log, but never past a heartbeat: under a steady stream of
        // events the lease must still be renewed in time.
        while true {
          let batch = try readEvents(listener)
          let foreign = batch.events.filter { $0.origin != node || $0.event.isNodeLost }
          if !foreign.isEmpty { handlers.deliver(foreign) }
          if !batch.full || ContinuousClock.now >= nextBeat { break }
        }
        let wait = max(
          0,
          (nextBeat - ContinuousClock.now).components.seconds * 1000
            + (nextBeat - ContinuousClock.now).components.attoseconds / 1_000_000_000_000_000)
        _ = try listener.awaitNotification(milliseconds: Int32(min(wait, 1000)))
      } catch {
        // Once per failure, then quiet while it lasts; retried every second.
        let text = "\(error)"
        if text != lastFailure { handlers.failure(text) }
        lastFailure = text
        connection = nil
        Thread.sleep(forTimeInterval: 1)
        continue
      }
      lastFailure = nil
    }
  }
}

extension NetworkEvent {
  fileprivate var isNodeLost: Bool {
    if case .nodeLost = self { return true }
    return false
  }
}
