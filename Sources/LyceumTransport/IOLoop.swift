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
    /// When the last drain began (`DispatchTime` uptime nanoseconds).
    var lastDrain: UInt64 = 0
    /// How many connections the last drain wrote to.
    var lastDrainSize = 0
  }

  /// A drain of at least this many connections marks the loop as busy with fan-out, and only
  /// then does the next drain wait for `minimumDrainInterval`. A client asking and waiting for
  /// answers one after another (history paging, a bot) on a quiet loop is answered at once;
  /// with a fixed interval, every such round trip had taken 20 ms.
  let busyDrainSize: Int
  public static let defaultBusyDrainSize = 32

  /// The least time between two drains of the loop's dirty connections while it is busy with
  /// fan-out (see `busyDrainSize`). The first line after a quiet spell goes out at once; under
  /// load each connection gets at most one write per interval, carrying every line that
  /// arrived meanwhile. Writes, not lines, are what cost: a
  /// system call, a TLS record, a TCP segment and a wake-up of the reader. Measured (release,
  /// TLS, history on): 1000 clients at 500 lines/s went from 2.35 to 1.95 µs of server CPU per
  /// delivery with a lower p99 (66 -> 46 ms), 200 clients at 1000 lines/s from 4.6 to 2.4 µs
  /// with p99 14 -> 25 ms; saturated throughput did not change. 30 ms saved a little more CPU
  /// but cost throughput at saturation.
  let minimumDrainInterval: UInt64
  public static let defaultMinimumDrainInterval: Duration = .milliseconds(20)

  /// TLS handshakes this loop runs at once; later connections wait for a slot.
  let handshakeLimit: Int
  /// Slots one client address may hold at once: a pile of silent sockets from one place waits
  /// behind its own share and cannot keep everyone else's handshakes waiting.
  let handshakesPerAddress: Int
  public static let defaultHandshakesPerAddress = 16
  private let handshakes = Mutex(HandshakeSlots())

  private struct HandshakeSlots: ~Copyable {
    var active = 0
    var activeByAddress: [String: Int] = [:]
    /// Connections waiting for a slot, oldest first.
    var waiting: [Connection] = []
  }

  init(
    label: String, handshakeLimit: Int = IOLoop.defaultHandshakeLimit,
    handshakesPerAddress: Int = IOLoop.defaultHandshakesPerAddress,
    minimumDrainInterval: Duration = IOLoop.defaultMinimumDrainInterval,
    busyDrainSize: Int = IOLoop.defaultBusyDrainSize
  ) {
    queue = DispatchQueue(label: label)
    self.busyDrainSize = max(1, busyDrainSize)
    self.handshakeLimit = max(1, handshakeLimit)
    self.handshakesPerAddress = max(1, handshakesPerAddress)
    self.minimumDrainInterval = UInt64(minimumDrainInterval.nanosecondsClamped)
  }

  /// Why limit handshakes: a TLS handshake holds OpenSSL memory that is freed when it ends.
  /// Ten thousand clients connecting at once held it all at the same time, and the freed
  /// memory stayed behind as holes between the connections that lived on: measured with
  /// `lyceum-bench idle --clients 10000`, 350 MiB without the limit, 224 MiB with it (about
  /// 13 KB less per connection). A few hundred at once keep two cores busy.
  public static let defaultHandshakeLimit = 128

  /// Takes a handshake slot for `connection`, or queues it for the next free one its address
  /// may have (then `Connection.beginHandshake` is called on the loop when its turn comes).
  func acquireHandshakeSlot(for connection: Connection) -> Bool {
    let address = connection.remoteAddress
    return handshakes.withLock { slots in
      if slots.active < handshakeLimit
        && slots.activeByAddress[address, default: 0] < handshakesPerAddress
      {
        slots.active += 1
        slots.activeByAddress[address, default: 0] += 1
        return true
      }
      slots.waiting.append(connection)
      return false
    }
  }

  /// Gives a finished handshake's slot (held for `address`) to the oldest waiting connection
  /// whose address is under its share, or frees it.
  func releaseHandshakeSlot(address: String) {
    let next = handshakes.withLock { slots -> Connection? in
      slots.active -= 1
      let remaining = slots.activeByAddress[address, default: 1] - 1
      slots.activeByAddress[address] = remaining > 0 ? remaining : nil
      guard
        let index = slots.waiting.firstIndex(where: {
          slots.activeByAddress[$0.remoteAddress, default: 0] < handshakesPerAddress
        })
      else { return nil }
      let next = slots.waiting.remove(at: index)
      slots.active += 1
      slots.activeByAddress[next.remoteAddress, default: 0] += 1
      return next
    }
    if let next { queue.async { next.beginHandshake() } }
  }

  /// Asks the loop to flush `connection`'s send queue soon; many calls before the loop gets to
  /// them cost one hand-off. The caller makes sure a connection is marked once per flush.
  func markDirty(_ connection: Connection) {
    let schedule = dirty.withLock { list -> UInt64? in
      list.connections.append(connection)
      if list.drainScheduled { return nil }
      list.drainScheduled = true
      return list.lastDrainSize >= busyDrainSize ? list.lastDrain + minimumDrainInterval : 0
    }
    guard let earliest = schedule else { return }
    if earliest <= DispatchTime.now().uptimeNanoseconds {
      queue.async { self.flushDirty() }
    } else {
      queue.asyncAfter(deadline: DispatchTime(uptimeNanoseconds: earliest)) { self.flushDirty() }
    }
  }

  /// Runs on `queue`: flushes every connection marked since the last run.
  private func flushDirty() {
    var batch: [Connection] = []
    let now = DispatchTime.now().uptimeNanoseconds
    dirty.withLock { list in
      swap(&batch, &list.connections)
      list.drainScheduled = false
      list.lastDrain = now
      list.lastDrainSize = batch.count
    }
    for connection in batch { connection.flush() }
  }
}

/// The loops a server's connections are spread over: one per processor, since each loop runs
/// on at most one thread at a time.
public final class IOLoopGroup: Sendable {
  public let loops: [IOLoop]
  private let next = Atomic<Int>(0)

  /// A group of `count` loops (at least one), each running at most `handshakeLimit` TLS
  /// handshakes at once and, after a drain of `busyDrainSize` connections or more, draining
  /// again only `minimumDrainInterval` later.
  public init(
    count: Int, handshakeLimit: Int = IOLoop.defaultHandshakeLimit,
    handshakesPerAddress: Int = IOLoop.defaultHandshakesPerAddress,
    minimumDrainInterval: Duration = IOLoop.defaultMinimumDrainInterval,
    busyDrainSize: Int = IOLoop.defaultBusyDrainSize
  ) {
    loops = (0..<max(1, count)).map {
      IOLoop(
        label: "lyceum.io.\($0)", handshakeLimit: handshakeLimit,
        handshakesPerAddress: handshakesPerAddress,
        minimumDrainInterval: minimumDrainInterval, busyDrainSize: busyDrainSize)
    }
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
