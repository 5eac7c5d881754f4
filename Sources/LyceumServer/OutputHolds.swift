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
/// Not thread-safe: the hub uses it on its queue only. Pure: it returns what to do.
struct OutputHolds {
  /// What the hub must do, in order.
  enum Action: Equatable {
    case send(ClientID, [UInt8])
    case close(ClientID)
    case runHistory(HistoryRequest)
    case pauseReading(ClientID)
    case resumeReading(ClientID)
  }

  private enum Item {
    case bytes([UInt8])
    /// A kept part's bytes for this connection, and what it gets instead if the part cannot be
    /// kept (nil: the bytes go out anyway).
    case kept(ticket: UInt64, bytes: [UInt8], failure: [UInt8]?, outcome: Bool?)
    case close
    case historyRead(HistoryRequest)

    var size: Int {
      switch self {
      case .bytes(let bytes): bytes.count
      case .kept(_, let bytes, let failure, _): max(bytes.count, failure?.count ?? 0)
      case .close, .historyRead: 0
      }
    }
  }

  private struct Queue {
    var items: [Item] = []
    var head = 0
    /// Bytes in `items[head...]`, plus the charges of this connection's own waiting messages.
    var heldBytes = 0
    var paused = false
    var isEmpty: Bool { head == items.count }
  }

  /// Bytes a connection may have held before its reading is paused.
  let limit: Int
  private var queues: [ClientID: Queue] = [:]
  /// The connections with items of each ticket not yet resolved, and the charge of its senders.
  private var tickets: [UInt64: (members: Set<ClientID>, charges: [ClientID: Int])] = [:]
  private var nextTicket: UInt64 = 0

  init(limit: Int) { self.limit = max(1, limit) }

  /// No output is waiting for a commit.
  var isIdle: Bool { tickets.isEmpty }

  /// Bytes held for `client` now (for tests and logs).
  func heldBytes(of client: ClientID) -> Int { queues[client]?.heldBytes ?? 0 }

  /// A new ticket for the kept parts of one outbox; resolve it with `resolve(_:kept:)`.
  mutating func makeTicket() -> UInt64 {
    nextTicket += 1
    tickets[nextTicket] = ([], [:])
    return nextTicket
  }

  /// Bytes that depend on no commit: sent at once unless `client` has output waiting.
  mutating func add(_ bytes: [UInt8], for client: ClientID, _ actions: inout [Action]) {
    guard !bytes.isEmpty else { return }
    guard let queue = queues[client], !queue.isEmpty else {
      actions.append(.send(client, bytes))
      return
    }
    enqueue(.bytes(bytes), for: client, &actions)
  }

  /// One kept part under `ticket`: its bytes for each connection, and the sender's bytes should
  /// it not be kept (nil: delivered anyway).
  mutating func addKept(
    _ part: OutboxPart, ticket: UInt64, _ actions: inout [Action]
  ) {
    var failureFor: ClientID? = nil
    if let failure = part.failure { failureFor = failure.client }
    var senderSeen = false
    var largest = 0
    for write in part.writes {
      let isSender = write.client == failureFor
      senderSeen = senderSeen || isSender
      largest = max(largest, write.bytes.count)
      let failure: [UInt8]? = part.failure == nil ? nil : (isSender ? part.failure!.bytes : [])
      enqueue(
        .kept(ticket: ticket, bytes: write.bytes, failure: failure, outcome: nil),
        for: write.client, &actions)
      tickets[ticket]?.members.insert(write.client)
    }
    guard let failure = part.failure else { return }
    if !senderSeen {
      enqueue(
        .kept(ticket: ticket, bytes: [], failure: failure.bytes, outcome: nil),
        for: failure.client, &actions)
      tickets[ticket]?.members.insert(failure.client)
    }
    // The sender answers for one copy of its message until it is kept.
    let amount = max(largest, failure.bytes.count)
    tickets[ticket]?.charges[failure.client, default: 0] += amount
    charge(amount, to: failure.client, &actions)
  }

  /// Closes `client` after what is waiting for it.
  mutating func close(_ client: ClientID, _ actions: inout [Action]) {
    guard let queue = queues[client], !queue.isEmpty else {
      actions.append(.close(client))
      return
    }
    enqueue(.close, for: client, &actions)
  }

  /// Runs a history read once everything its connection is waiting for has been sent, so that
  /// it sees every entry kept before it.
  mutating func historyRead(_ request: HistoryRequest, _ actions: inout [Action]) {
    guard let queue = queues[request.connection], !queue.isEmpty else {
      actions.append(.runHistory(request))
      return
    }
    enqueue(.historyRead(request), for: request.connection, &actions)
  }

  /// The commit of `ticket` is done (`kept`) or failed: sends what it released, in order.
  mutating func resolve(_ ticket: UInt64, kept: Bool, _ actions: inout [Action]) {
    guard let (members, charges) = tickets.removeValue(forKey: ticket) else { return }
    for (client, amount) in charges { charge(-amount, to: client, &actions) }
    for client in members {
      // Taken out of the dictionary while it changes, so its items are not copied.
      guard var queue = queues.removeValue(forKey: client) else { continue }
      var index = queue.head
      while index < queue.items.count {
        if case .kept(let itemTicket, let bytes, let failure, nil) = queue.items[index] {
          // Items are queued in ticket order: nothing of this ticket comes after a later one.
          if itemTicket > ticket { break }
          if itemTicket == ticket {
            queue.items[index] = .kept(
              ticket: ticket, bytes: bytes, failure: failure, outcome: kept)
          }
        }
        index += 1
      }
      drain(&queue, client, &actions)
    }
  }

  /// Forgets a connection that has closed.
  mutating func remove(_ client: ClientID) {
    queues[client] = nil
  }

  // Each queue is taken out of `queues` while it changes and put back once (or dropped when
  // nothing is held for it): one lookup and one store per event, and its items never copied.

  private mutating func enqueue(_ item: Item, for client: ClientID, _ actions: inout [Action]) {
    var queue = queues.removeValue(forKey: client) ?? Queue()
    queue.items.append(item)
    charge(item.size, &queue, client, &actions)
    queues[client] = queue
  }

  private mutating func charge(_ amount: Int, to client: ClientID, _ actions: inout [Action]) {
    guard var queue = queues.removeValue(forKey: client) ?? (amount > 0 ? Queue() : nil) else {
      return
    }
    charge(amount, &queue, client, &actions)
    store(queue, for: client)
  }

  private func charge(
    _ amount: Int, _ queue: inout Queue, _ client: ClientID, _ actions: inout [Action]
  ) {
    queue.heldBytes += amount
    if !queue.paused && queue.heldBytes > limit {
      queue.paused = true
      actions.append(.pauseReading(client))
    } else if queue.paused && queue.heldBytes <= limit / 2 {
      queue.paused = false
      actions.append(.resumeReading(client))
    }
  }

  /// Puts a queue back, unless nothing is held for it and its reading runs.
  private mutating func store(_ queue: Queue, for client: ClientID) {
    if queue.isEmpty && queue.heldBytes == 0 && !queue.paused { return }
    queues[client] = queue
  }

  /// Sends from the front of `client`'s queue while nothing there waits for a commit, then
  /// puts the queue back (unless the connection was closed).
  private mutating func drain(_ queue: inout Queue, _ client: ClientID, _ actions: inout [Action]) {
    var released = 0
    var closed = false
    loop: while !queue.isEmpty {
      let item = queue.items[queue.head]
      switch item {
      case .bytes(let bytes):
        actions.append(.send(client, bytes))
      case .kept(_, _, _, nil):
        break loop
      case .kept(_, let bytes, let failure, .some(let kept)):
        let out = kept ? bytes : (failure ?? bytes)
        if !out.isEmpty { actions.append(.send(client, out)) }
      case .close:
        actions.append(.close(client))
        closed = true
      case .historyRead(let request):
        actions.append(.runHistory(request))
      }
      released += item.size
      queue.head += 1
      if closed { break }
    }
    if closed { return }
    if queue.isEmpty {
      queue.items = []
      queue.head = 0
    } else if queue.head > 64 && queue.head * 2 > queue.items.count {
      queue.items.removeFirst(queue.head)
      queue.head = 0
    }
    charge(-released, &queue, client, &actions)
    store(queue, for: client)
  }
}
