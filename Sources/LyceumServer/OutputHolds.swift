import LyceumCore

/// Output waiting for history commits, held per connection: keep before deliver without one
/// slow commit holding everyone.
///
/// A connection that has nothing waiting gets its bytes at once. One that has a kept part
/// waiting (a message it is shown, or one it sent) queues what comes after it, in order, until
/// the part's commit is reported; then the part's bytes go out, or, when the commit failed and
/// the part is a message, its sender's `FAIL` instead and nothing to anyone else. So a stalled
/// disk pauses the connections whose lines wait behind it, and nobody else: a `PING` from a
/// client that is not shown the waiting message is answered at once.
///
/// Each connection's held bytes (its queue, plus one copy of each of its own messages waiting
/// to be kept) are counted; past `limit` the hub pauses reading that connection, and resumes it
/// once they fall to half. A sender that keeps writing while the disk stalls is thus held to
/// about `limit` bytes, and so is a client that keeps asking for replies behind a held line.
///
/// Why it is built around tickets: a kept part goes to a whole channel, and nearly always none
/// of its recipients has anything else waiting. Such a part is held as it is, once, with its
/// ticket (`Ticket.parts`), and each recipient only notes the newest ticket it waits for: no
/// queue per recipient, no copy of the bytes. A connection gets a queue of its own only when
/// other output for it arrives while it waits (`Hold.queue`); its later kept bytes then wait in
/// that queue too, so its order stays the order of the calls. Measured (release, TLS, 1000
/// clients, 20 senders, 100 lines/s, `perf record`): the hub's share of the server's CPU fell
/// from 40 % to 26 %, and the server's CPU per delivery from 3.33 to 2.78 µs.
///
/// Tickets are settled in the order they were made, whatever order their outcomes are
/// reported in (the group-commit writer reports in order anyway): a connection's bytes under
/// an older ticket thus always go out before those under a newer one.
///
/// Not thread-safe: the hub uses it on its queue only. Pure: it returns what to do.
struct OutputHolds {
  /// What the hub must do, in order.
  ///
  /// A history request is boxed (`indirect`): it is many times the size of the other cases,
  /// and an enum is as large as its largest case, so unboxed it made every `send` of a big
  /// fan-out take that much. Measured with `fanout --clients 1000` (release, TLS): the join
  /// storm's peak RSS went from 240 to 125 MiB.
  enum Action: Equatable {
    case send(ClientID, [UInt8])
    /// A whole kept part, settled: its deliveries (`ReleasedPart.deliveries`), in order. One
    /// action for a whole channel instead of one per member. Boxed, like a history request.
    indirect case sendPart(ReleasedPart)
    case close(ClientID)
    indirect case runHistory(HistoryRequest)
    case pauseReading(ClientID)
    case resumeReading(ClientID)
  }

  /// Output queued for one connection behind a ticket.
  private enum Item {
    /// Bytes that depend on no commit, released once `after` is settled.
    case bytes([UInt8], after: UInt64)
    /// A kept part's bytes for this connection, and what it gets instead if the part cannot be
    /// kept (nil: the bytes go out anyway).
    case kept(ticket: UInt64, bytes: [UInt8], failure: [UInt8]?)
    case close(after: UInt64)
    /// Boxed, as in `Action`.
    indirect case historyRead(HistoryRequest, after: UInt64)

    /// The ticket that must be settled before this item may go out. Along a queue these never
    /// decrease: each item waits for the newest ticket its connection had when it was queued.
    var waitsFor: UInt64 {
      switch self {
      case .bytes(_, let after), .close(let after), .historyRead(_, let after): after
      case .kept(let ticket, _, _): ticket
      }
    }

    var size: Int {
      switch self {
      case .bytes(let bytes, _): bytes.count
      case .kept(_, let bytes, let failure): max(bytes.count, failure?.count ?? 0)
      case .close, .historyRead: 0
      }
    }
  }

  /// What one connection waits for.
  private struct Hold {
    /// The newest ticket with output for this connection (0: none yet).
    var lastTicket: UInt64 = 0
    /// Output that arrived while a ticket held the connection, oldest first from `head`.
    var queue: [Item] = []
    var head = 0
    /// Bytes waiting for this connection, plus the charges of its own waiting messages.
    var heldBytes = 0
    var paused = false
    var queueIsEmpty: Bool { head == queue.count }

    /// Whether a kept part under `ticket` may be held in the part, not queued: nothing queued
    /// waits for `ticket` or a newer one. What is queued then waits for older tickets only,
    /// which are settled, and their items drained, before `ticket`'s part goes out, so the
    /// connection's order holds.
    ///
    /// Why not only when the queue is empty: in a storm (a thousand clients joining one
    /// channel) some ticket is always unsettled, so a queue, once made, never emptied and
    /// every later line for that member was queued one by one. Measured with `heaptrack`
    /// under `fanout --clients 1000`: hold queues, the sets of queued members and the actions
    /// that drained them were 23 MB of the join storm's 49 MB peak.
    func mayHoldInPart(_ ticket: UInt64) -> Bool {
      queueIsEmpty || queue[queue.count - 1].waitsFor < ticket
    }
  }

  /// One kept part held as it is.
  private struct HeldPart {
    let part: OutboxPart
    /// Recipients whose bytes of this part wait in their own queues instead (usually none).
    var queued: Set<ClientID> = []
    /// Whether the sender, not among the part's writes, waits for its `FAIL` here.
    var senderWaitsHere = false
  }

  /// The kept parts of one outbox, and the charges its senders answer for.
  private struct Ticket {
    var parts: [HeldPart] = []
    /// Connections with bytes of this ticket in their queues.
    var queuedMembers: [ClientID] = []
    var charges: [ClientID: Int] = [:]
    var outcome: Bool?
  }

  /// Bytes a connection may have held before its reading is paused.
  let limit: Int
  /// A hold for every connection that has waited for a ticket, kept (idle) until it closes
  /// (`remove`): a message to a channel notes and releases each member, and finding an entry
  /// in place is cheaper than inserting and deleting it each time. Measured (release, TLS,
  /// `fanout --clients 200 --rate 0`, the server pinned to one core): see BENCHMARKS.md.
  private var holds: [ClientID: Hold] = [:]
  /// Tickets not settled yet, oldest first; ticket `firstTicket + i` is `tickets[i]`.
  private var tickets: [Ticket] = []
  private var firstTicket: UInt64 = 1
  /// Every ticket up to this one is settled.
  private var settledThrough: UInt64 = 0

  init(limit: Int) { self.limit = max(1, limit) }

  /// No output is waiting for a commit.
  var isIdle: Bool { tickets.isEmpty }

  /// Bytes held for `client` now (for tests and logs).
  func heldBytes(of client: ClientID) -> Int { holds[client]?.heldBytes ?? 0 }

  /// A new ticket for the kept parts of one outbox; resolve it with `resolve(_:kept:)`.
  mutating func makeTicket() -> UInt64 {
    tickets.append(Ticket())
    return firstTicket + UInt64(tickets.count - 1)
  }

  /// Bytes that depend on no commit: sent at once unless `client` has output waiting.
  mutating func add(_ bytes: [UInt8], for client: ClientID, _ actions: inout [Action]) {
    guard !bytes.isEmpty else { return }
    if !isWaiting(client) {
      actions.append(.send(client, bytes))
      return
    }
    enqueue(.bytes(bytes, after: holds[client]?.lastTicket ?? 0), for: client, &actions)
  }

  /// One kept part under `ticket`: its bytes for each connection, and the sender's bytes should
  /// it not be kept (nil: delivered anyway).
  mutating func addKept(_ part: OutboxPart, ticket: UInt64, _ actions: inout [Action]) {
    guard let index = ticketIndex(ticket) else { return }
    let failureClient = part.failure?.client
    let failureBytes = part.failure?.bytes
    var held = HeldPart(part: part)
    var senderSeen = false
    var largest = 0
    // By index, reading fields in place: a `for write in` loop copied each write, two
    // reference-count updates and two releases per member on the hub's thread.
    part.writes.withUnsafeBufferPointer { writes in
      for position in writes.indices {
        let client = writes[position].client
        let count = writes[position].bytes.count
        let isSender = client == failureClient
        senderSeen = senderSeen || isSender
        largest = max(largest, count)
        let failureCount = isSender ? (failureBytes?.count ?? 0) : 0
        let size = max(count, failureCount)
        if !Self.note(
          ticket, size: size, limit: limit, &holds[client, default: Hold()], client, &actions)
        {
          let failure: [UInt8]? = failureBytes == nil ? nil : (isSender ? failureBytes : [])
          held.queued.insert(client)
          tickets[index].queuedMembers.append(client)
          enqueue(
            .kept(ticket: ticket, bytes: writes[position].bytes, failure: failure), for: client,
            &actions)
          holds[client]?.lastTicket = ticket
        }
      }
    }
    if let failureClient, let failureBytes {
      if !senderSeen {
        if Self.note(
          ticket, size: failureBytes.count, limit: limit, &holds[failureClient, default: Hold()],
          failureClient, &actions)
        {
          held.senderWaitsHere = true
        } else {
          tickets[index].queuedMembers.append(failureClient)
          enqueue(
            .kept(ticket: ticket, bytes: [], failure: failureBytes), for: failureClient, &actions)
          holds[failureClient]?.lastTicket = ticket
        }
      }
      // The sender answers for one copy of its message until it is kept.
      let amount = max(largest, failureBytes.count)
      tickets[index].charges[failureClient, default: 0] += amount
      charge(amount, to: failureClient, &actions)
    }
    tickets[index].parts.append(held)
  }

  /// Closes `client` after what is waiting for it.
  mutating func close(_ client: ClientID, _ actions: inout [Action]) {
    guard isWaiting(client) else {
      actions.append(.close(client))
      return
    }
    enqueue(.close(after: holds[client]?.lastTicket ?? 0), for: client, &actions)
  }

  /// Runs a history read once everything its connection is waiting for has been sent, so that
  /// it sees every entry kept before it.
  mutating func historyRead(_ request: HistoryRequest, _ actions: inout [Action]) {
    let client = request.connection
    guard isWaiting(client) else {
      actions.append(.runHistory(request))
      return
    }
    enqueue(.historyRead(request, after: holds[client]?.lastTicket ?? 0), for: client, &actions)
  }

  /// The commit of `ticket` is done (`kept`) or failed: sends what it released, in order, and
  /// what every earlier-settled ticket behind an unsettled one had waited for.
  mutating func resolve(_ ticket: UInt64, kept: Bool, _ actions: inout [Action]) {
    guard let index = ticketIndex(ticket), tickets[index].outcome == nil else { return }
    tickets[index].outcome = kept
    while let first = tickets.first, let outcome = first.outcome {
      tickets.removeFirst()
      settle(first, number: firstTicket, kept: outcome, &actions)
      firstTicket += 1
    }
  }

  /// Forgets a connection that has closed.
  mutating func remove(_ client: ClientID) {
    holds[client] = nil
  }

  // MARK: - Settling

  private func ticketIndex(_ ticket: UInt64) -> Int? {
    guard ticket >= firstTicket, ticket - firstTicket < UInt64(tickets.count) else { return nil }
    return Int(ticket - firstTicket)
  }

  /// Whether `client` has output waiting, so that new output for it must queue.
  private func isWaiting(_ client: ClientID) -> Bool {
    guard let hold = holds[client] else { return false }
    return hold.lastTicket > settledThrough || !hold.queueIsEmpty
  }

  /// Sends one settled ticket's parts, then drains the queues it held.
  private mutating func settle(
    _ ticket: Ticket, number: UInt64, kept: Bool, _ actions: inout [Action]
  ) {
    settledThrough = number
    for (client, amount) in ticket.charges { charge(-amount, to: client, &actions) }
    // Every held part's bytes go out before any queue is drained: a connection's queued items
    // still waiting all came after its bytes in the held parts of this ticket (items queued
    // before those bytes waited for older tickets, and were drained when those settled).
    var toDrain: [ClientID] = ticket.queuedMembers
    for held in ticket.parts {
      let failure = held.part.failure
      held.part.writes.withUnsafeBufferPointer { writes in
        for position in writes.indices {
          let client = writes[position].client
          if !held.queued.isEmpty && held.queued.contains(client) { continue }
          // What it was charged with in `addKept`: the larger of its bytes and its failure.
          let failureSize = failure.map { client == $0.client ? $0.bytes.count : 0 } ?? 0
          release(
            client, size: max(writes[position].bytes.count, failureSize), &actions, &toDrain)
        }
      }
      actions.append(.sendPart(ReleasedPart(part: held.part, kept: kept, skipping: held.queued)))
      if held.senderWaitsHere, let failure {
        release(failure.client, size: failure.bytes.count, &actions, &toDrain)
        if !kept { actions.append(.send(failure.client, failure.bytes)) }
      }
    }
    for client in toDrain { drain(client, kept: kept, &actions) }
  }

  /// A held part's bytes for `client` are settled: they no longer count as held, and it is
  /// noted for draining when other output waits behind them.
  private mutating func release(
    _ client: ClientID, size: Int, _ actions: inout [Action], _ toDrain: inout [ClientID]
  ) {
    guard let index = holds.index(forKey: client) else { return }
    Self.charge(-size, limit: limit, &holds.values[index], client, &actions)
    if !holds.values[index].queueIsEmpty { toDrain.append(client) }
  }

  /// Sends from the front of `client`'s queue while nothing there waits for an unsettled
  /// ticket. `kept`: the outcome of the ticket being settled, the only one whose kept items can
  /// be released now (a queue's items are in ticket order, and older tickets drained theirs).
  private mutating func drain(_ client: ClientID, kept: Bool, _ actions: inout [Action]) {
    guard var hold = holds.removeValue(forKey: client) else { return }
    var released = 0
    loop: while !hold.queueIsEmpty {
      let item = hold.queue[hold.head]
      switch item {
      case .bytes(let bytes, let after):
        if after > settledThrough { break loop }
        actions.append(.send(client, bytes))
      case .kept(let ticket, let bytes, let failure):
        if ticket > settledThrough { break loop }
        let out = kept ? bytes : (failure ?? bytes)
        if !out.isEmpty { actions.append(.send(client, out)) }
      case .close(let after):
        if after > settledThrough { break loop }
        actions.append(.close(client))
        return  // the connection is gone: nothing more is held for it
      case .historyRead(let request, let after):
        if after > settledThrough { break loop }
        actions.append(.runHistory(request))
      }
      released += item.size
      hold.head += 1
    }
    if hold.queueIsEmpty {
      hold.queue = []
      hold.head = 0
    } else if hold.head > 64 && hold.head * 2 > hold.queue.count {
      hold.queue.removeFirst(hold.head)
      hold.head = 0
    }
    Self.charge(-released, limit: limit, &hold, client, &actions)
    holds[client] = hold
  }

  // MARK: - Holds and charges

  /// Notes in `hold` that its connection waits for `ticket`, with `size` bytes held for it,
  /// when the part may hold its bytes (`Hold.mayHoldInPart`); false, noting nothing, when they
  /// must queue instead. Static, on the hold in place: one lookup of the dictionary per
  /// recipient, no copy of the hold.
  private static func note(
    _ ticket: UInt64, size: Int, limit: Int, _ hold: inout Hold, _ client: ClientID,
    _ actions: inout [Action]
  ) -> Bool {
    guard hold.mayHoldInPart(ticket) else { return false }
    hold.lastTicket = max(hold.lastTicket, ticket)
    charge(size, limit: limit, &hold, client, &actions)
    return true
  }

  private mutating func enqueue(_ item: Item, for client: ClientID, _ actions: inout [Action]) {
    Self.enqueue(item, limit: limit, &holds[client, default: Hold()], client, &actions)
  }

  private static func enqueue(
    _ item: Item, limit: Int, _ hold: inout Hold, _ client: ClientID, _ actions: inout [Action]
  ) {
    hold.queue.append(item)
    charge(item.size, limit: limit, &hold, client, &actions)
  }

  /// Charges `client` with `amount` bytes (a negative amount releases them). A connection
  /// that has no hold gets one only for a charge; a release finds none for a connection that
  /// has closed.
  private mutating func charge(_ amount: Int, to client: ClientID, _ actions: inout [Action]) {
    if amount > 0 {
      Self.charge(amount, limit: limit, &holds[client, default: Hold()], client, &actions)
    } else if let index = holds.index(forKey: client) {
      Self.charge(amount, limit: limit, &holds.values[index], client, &actions)
    }
  }

  private static func charge(
    _ amount: Int, limit: Int, _ hold: inout Hold, _ client: ClientID, _ actions: inout [Action]
  ) {
    hold.heldBytes += amount
    if !hold.paused && hold.heldBytes > limit {
      hold.paused = true
      actions.append(.pauseReading(client))
    } else if hold.paused && hold.heldBytes <= limit / 2 {
      hold.paused = false
      actions.append(.resumeReading(client))
    }
  }
}

/// A settled kept part, as the hub sends it: each recipient's bytes when it was kept (or when
/// it is an event, delivered anyway), its sender's failure and nothing to anyone else when it
/// was a message that could not be kept. Recipients in `skipping` got theirs through their own
/// queues.
struct ReleasedPart: Equatable {
  let part: OutboxPart
  let kept: Bool
  let skipping: Set<ClientID>

  /// Calls `body` with each recipient, its connection (as the core handed it back) and the
  /// bytes it gets, in the part's order; recipients that get nothing are left out.
  func deliveries(_ body: (ClientID, TransportHandle?, [UInt8]) -> Void) {
    let failure = kept ? nil : part.failure
    part.writes.withUnsafeBufferPointer { writes in
      for position in writes.indices {
        let client = writes[position].client
        if !skipping.isEmpty && skipping.contains(client) { continue }
        if let failure {
          if client == failure.client && !failure.bytes.isEmpty {
            body(client, writes[position].transportHandle, failure.bytes)
          }
        } else if !writes[position].bytes.isEmpty {
          body(client, writes[position].transportHandle, writes[position].bytes)
        }
      }
    }
  }

  /// Equal when they deliver the same bytes to the same recipients (for tests).
  static func == (lhs: ReleasedPart, rhs: ReleasedPart) -> Bool {
    var left: [(ClientID, [UInt8])] = []
    var right: [(ClientID, [UInt8])] = []
    lhs.deliveries { left.append(($0, $2)) }
    rhs.deliveries { right.append(($0, $2)) }
    return left.elementsEqual(right) { $0.0 == $1.0 && $0.1 == $1.1 }
  }
}
