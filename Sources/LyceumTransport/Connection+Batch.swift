/// Sending to many connections at once: the fan-out of one chat line to a channel.
extension Connection {
  /// Appends each write's bytes to its connection's send queue and writes them out. One
  /// Dispatch hand-off per loop for the whole batch; on the loop the bytes are queued as they
  /// are (joined into one buffer only when the connection is written). The sender's thread
  /// (the core's, in the server) thus does a few pointer moves per recipient and the loops,
  /// which run in parallel, do the rest.
  ///
  /// Order: a connection's bytes from successive batches, and from `send` calls made before a
  /// batch, go out in the order of the calls. A connection closing or closed drops them, like
  /// `send`. Thread-safe.
  public static func send(_ writes: [(Connection, [UInt8])]) {
    var batch = OutputBatch()
    for (connection, bytes) in writes { batch.append(bytes, to: connection) }
    batch.send()
  }

  /// `send` while a batch is in flight on this connection's loop: queued behind it.
  func sendBehindBatches(_ bytes: [UInt8]) {
    loop.batchesInFlight.add(1, ordering: .sequentiallyConsistent)
    queue.async {
      self.appendOnQueue(bytes)
      self.loop.batchesInFlight.subtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// On `queue`: queues `bytes` behind whatever `send` queued before, and asks the loop to
  /// write them. Kept as a chunk: while the loop waits to drain (see `IOLoop`), a busy
  /// connection gathers many, and appending each to `pending` regrew and recopied it.
  fileprivate func appendOnQueue(_ bytes: [UInt8]) {
    switch state {
    case .created, .awaitingHandshake, .handshaking, .ready: break
    case .flushing, .closed: return
    }
    takeIncoming()
    let queued = pending.count - pendingOffset + queuedChunkBytes
    if queued + bytes.count > limits.sendQueueLimit {
      finalize(.sendQueueExceeded)
      return
    }
    queuedChunks.append(bytes)
    queuedChunkBytes += bytes.count
    // Not written at once: the loop flushes after the batches already queued on it, so that
    // lines arriving faster than the loop writes coalesce into fewer, larger writes.
    if !flushMarked {
      flushMarked = true
      loop.markDirty(self)
    }
  }

  /// Moves the oldest queued chunks into the empty `pending`, up to `mergeLimit` bytes (at
  /// least one chunk), in one allocation of the right size; a lone chunk becomes it without a
  /// copy.
  ///
  /// Why only so much: a connection behind on reading (every member's during a join storm)
  /// gathers thousands of chunks, and each chunk is one line's bytes shared with every other
  /// recipient of that line. Joining them all gave each connection its own copy of its whole
  /// backlog; now a backlog costs a reference per line, and at most `mergeLimit` bytes of its
  /// own. Measured with `bench/attack/non_readers.py` (500 clients that never read, release,
  /// with the hub's sharing of a line's bytes): the peak fell from 0.34–1.30× to 0.05–0.08× the
  /// send queue per client.
  func mergeQueuedChunks() {
    guard !queuedChunks.isEmpty, pendingOffset == pending.count else { return }
    var count = 1
    var bytes = queuedChunks[0].count
    while count < queuedChunks.count && bytes + queuedChunks[count].count <= Self.mergeLimit {
      bytes += queuedChunks[count].count
      count += 1
    }
    if count == 1 {
      pending = queuedChunks[0]
    } else {
      var merged: [UInt8] = []
      merged.reserveCapacity(bytes)
      for chunk in queuedChunks[..<count] { merged.append(contentsOf: chunk) }
      pending = merged
    }
    pendingOffset = 0
    queuedChunks.removeFirst(count)
    queuedChunkBytes -= bytes
  }
}

/// Writes for many connections, gathered per I/O loop as they are added and handed to each
/// loop in one go by `send()`: `Connection.send(_:)` without building a list first.
///
/// Why it exists: the hub adds a line for every member of a channel, and gathering them into a
/// list, then regrouping that list by loop, copied each write twice, two reference-count
/// updates per copy on the busiest thread. And consecutive writes of the same bytes (one line
/// to a channel's members, who share its serialized form) are kept as one run: the bytes are
/// referenced once per run, not once per member, so the hub's thread does not update their
/// reference count, shared with both loops, for every recipient.
public struct OutputBatch {
  /// One loop's writes: `connections[runs[i-1].end..<runs[i].end]` get `runs[i].bytes`.
  private struct Group {
    let loop: IOLoop
    var connections: [Connection] = []
    var runs: [(bytes: [UInt8], end: Int)] = []

    /// Extends the last run when `bytes` is the same buffer (not just equal bytes: the same
    /// storage, which is what a line's recipients share), else starts a run.
    mutating func append(_ bytes: [UInt8], to connection: Connection) {
      connections.append(connection)
      if let last = runs.last, last.bytes.count == bytes.count, sameStorage(last.bytes, bytes) {
        runs[runs.count - 1].end = connections.count
      } else {
        runs.append((bytes, connections.count))
      }
    }
  }

  private var groups: [Group] = []
  /// The group the last write went to: consecutive writes mostly share a loop's group.
  private var lastGroup = 0

  /// An empty batch. Each loop's list grows as writes are added; no room is made ahead.
  ///
  /// Why not make room for the writes expected: the hub sends a batch early at every close,
  /// and every list made after that took room for the whole expected count, held until its
  /// loop ran it. Found with `heaptrack` under `fanout --clients 1000`: when the thousand
  /// clients quit, 1 312 lists, mostly empty, held 803 MB of room at once. Growing by doubling
  /// copies each pointer about once more, which the hub's thread does not notice.
  public init() {}

  public var isEmpty: Bool { groups.isEmpty }

  /// Queues `bytes` for `connection`, after what was added for it before.
  public mutating func append(_ bytes: [UInt8], to connection: Connection) {
    let loop = connection.loop
    if !(lastGroup < groups.count && groups[lastGroup].loop === loop) {
      if let index = groups.firstIndex(where: { $0.loop === loop }) {
        lastGroup = index
      } else {
        lastGroup = groups.count
        groups.append(Group(loop: loop))
      }
    }
    groups[lastGroup].append(bytes, to: connection)
  }

  /// Hands each loop its writes (see `Connection.send(_:)` for the order kept) and empties the
  /// batch.
  public mutating func send() {
    for group in groups {
      let loop = group.loop
      loop.batchesInFlight.add(1, ordering: .sequentiallyConsistent)
      loop.queue.async {
        // Through the buffer: indexing the captured array retained and released each
        // connection (measured, release, one core: 2-3 % less CPU per delivery).
        group.connections.withUnsafeBufferPointer { connections in
          var start = 0
          for run in group.runs {
            for index in start..<run.end { connections[index].appendOnQueue(run.bytes) }
            start = run.end
          }
        }
        loop.batchesInFlight.subtract(1, ordering: .sequentiallyConsistent)
      }
    }
    groups = []
    lastGroup = 0
  }
}

/// Whether two arrays share one buffer (two live buffers never share an address).
private func sameStorage(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress }
  }
}
