import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One serial queue that many connections share, in the manner of an event loop: their
/// sources fire on it, their bytes are read, parsed and written on it.
///
/// Why share: a chat server's hot path sends one line to many connections. With a queue per
/// connection every delivery cost a Dispatch hand-off (a block, an enqueue and often a thread
/// wake-up); with a few loops, a fan-out to a thousand connections marks them dirty and costs
/// one hand-off per loop, and the loop then writes to each in a tight run. Lines that arrive
/// while a loop is busy coalesce into the next write, so the busier the server, the fewer
/// writes per line.
public final class IOLoop: Sendable {
  /// Where the connections' sources and work run.
  public let queue: DispatchQueue
  private let dirty = Mutex(DirtyConnections())
  /// Batches (and sends routed behind them) handed to `queue` and not yet run. While any is
  /// in flight, `Connection.send` must go through the queue too, or it could overtake them.
  let batchesInFlight = Atomic<Int>(0)

  private struct DirtyConnections: ~Copyable {
    var connections: [Connection] = []
    var drainScheduled = false
  }

  init(label: String) {
    queue = DispatchQueue(label: label)
  }

  /// Asks the loop to flush `connection`'s send queue soon; many calls before the loop gets to
  /// them cost one hand-off. The caller makes sure a connection is marked once per flush.
  func markDirty(_ connection: Connection) {
    let schedule = dirty.withLock { list -> Bool in
      list.connections.append(connection)
      if list.drainScheduled { return false }
      list.drainScheduled = true
      return true
    }
    if schedule { queue.async { self.flushDirty() } }
  }

  /// Runs on `queue`: flushes every connection marked since the last run.
  private func flushDirty() {
    var batch: [Connection] = []
    dirty.withLock { list in
      swap(&batch, &list.connections)
      list.drainScheduled = false
    }
    for connection in batch { connection.flush() }
  }
}

/// The loops a server's connections are spread over: one per processor, since each loop runs
/// on at most one thread at a time.
public final class IOLoopGroup: Sendable {
  public let loops: [IOLoop]
  private let next = Atomic<Int>(0)

  /// A group of `count` loops (at least one).
  public init(count: Int) {
    loops = (0..<max(1, count)).map { IOLoop(label: "lyceum.io.\($0)") }
  }

  /// The group the listeners use unless given another: one loop per active processor.
  public static let shared = IOLoopGroup(count: systemProcessorCount())

  /// The loop for the next connection, round-robin.
  public func nextLoop() -> IOLoop {
    let index = next.add(1, ordering: .relaxed).oldValue
    return loops[index % loops.count]
  }
}

/// The processors this process may run on (at least one).
private func systemProcessorCount() -> Int {
  max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
