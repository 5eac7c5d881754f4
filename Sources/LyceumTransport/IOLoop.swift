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
/// one hand-off per loop, and the loop then writes to each in a tight run.
///
/// When it writes: as soon as it has nothing else queued (see `markDirty`) and no other
/// client's input or commit is under way upstream (see `UpstreamWork`), never on a timer. On a
/// quiet server every line goes out at once; on a busy one the batches that arrived while the
/// loop was writing are queued ahead of the next drain, and the output of lines being handled
/// is waited for (until it is released, 2 ms at most), so their lines join the same write,
/// and the busier the loop, the more lines each write carries.
public final class IOLoop: Sendable {
  /// Where the connections' sources and work run.
  public let queue: DispatchQueue
  private let dirty = Mutex(DirtyConnections())
  /// Batches (and sends routed behind them) handed to `queue` and not yet run. While any is
  /// in flight, `Connection.send` must go through the queue too, or it could overtake them;
  /// and a drain steps behind them (`flushDirty`).
  let batchesInFlight = Atomic<Int>(0)
  /// Drains that wrote, since the loop was made: for tests of the coalescing.
  package let drains = Atomic<Int>(0)

  private struct DirtyConnections: ~Copyable {
    var connections: [Connection] = []
    var drainScheduled = false
    /// When the scheduled drain was asked for (`DispatchTime` uptime nanoseconds).
    var scheduledAt: UInt64 = 0
    /// The scheduled drain waits for upstream work (see `UpstreamWork`).
    var waitingForUpstream = false
  }

  /// How long a drain may keep stepping behind batches queued after it (see `flushDirty`):
  /// only a loop that is never idle waits at all, and at most this long. Each step lets the
  /// lines of the batches that arrived meanwhile join this drain's writes, so that a saturated
  /// loop makes a few large writes per connection instead of one per batch. Measured (release,
  /// TLS, `fanout --clients 200 --rate 0`, two runs each): 5 ms and 20 ms gave the same
  /// throughput (1.8–2.0 M deliveries/s), so the shorter one; a fixed 20 ms between drains
  /// had cost every quiet room on a busy loop up to 20 ms.
  static let maximumDrainDelay: UInt64 = 5_000_000

  /// How long a drain may wait for upstream work (input queued for the core, commits under
  /// way; see `UpstreamWork`) when no release of output wakes it first: a stalled disk holds
  /// its commits, and everything else on the loop must not wait for it longer than this.
  static let maximumUpstreamWait: DispatchTimeInterval = .milliseconds(2)

  /// What a drain waits for before writing; `UpstreamWork.shared` unless a test gives another.
  let upstream: UpstreamWork
  /// `maximumUpstreamWait` unless a test gives another.
  let upstreamWait: DispatchTimeInterval
  /// Ends a wait for upstream work that nothing woke. A strict timer, armed anew for each
  /// wait: `asyncAfter` fired 6 to 11 ms late here (Dispatch's leeway), which a stalled disk
  /// would have added to every drain.
  private let upstreamWaitTimer: SendableTimer

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
    upstream: UpstreamWork = .shared, upstreamWait: DispatchTimeInterval = maximumUpstreamWait
  ) {
    queue = DispatchQueue(label: label)
    self.upstream = upstream
    self.upstreamWait = upstreamWait
    self.handshakeLimit = max(1, handshakeLimit)
    self.handshakesPerAddress = max(1, handshakesPerAddress)
    upstreamWaitTimer = SendableTimer(DispatchSource.makeTimerSource(flags: .strict, queue: queue))
    upstreamWaitTimer.source.schedule(deadline: .distantFuture)
    // Weak: an armed source lives until cancelled (in `deinit`).
    upstreamWaitTimer.source.setEventHandler { [weak self] in
      guard let self else { return }
      let due = dirty.withLock { $0.waitingForUpstream }
      if due { writeDirty() }
    }
    upstreamWaitTimer.source.activate()
  }

  deinit {
    upstreamWaitTimer.source.cancel()
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

  /// Asks the loop to flush `connection`'s send queue once the work queued on it before now
  /// has run; many calls before the loop gets to them cost one hand-off. The caller makes sure
  /// a connection is marked once per flush.
  func markDirty(_ connection: Connection) {
    let schedule = dirty.withLock { list -> Bool in
      list.connections.append(connection)
      if list.drainScheduled { return false }
      list.drainScheduled = true
      list.scheduledAt = DispatchTime.now().uptimeNanoseconds
      return true
    }
    if schedule { queue.async { self.flushDirty() } }
  }

  /// Runs on `queue`: flushes every connection marked since the last run, unless batches were
  /// queued behind this drain and it was asked for less than `maximumDrainDelay` ago: then it
  /// steps behind them, so that their lines go out in the same writes. Writes, not lines, are
  /// what cost: a system call, a TLS record, a TCP segment and a wake-up of the reader.
  ///
  /// Then, once per drain, it waits while upstream work is under way (see `UpstreamWork`):
  /// until that work ends, the next release of held output, or `maximumUpstreamWait`.
  private func flushDirty() {
    if batchesInFlight.load(ordering: .sequentiallyConsistent) > 0 {
      let askedAt = dirty.withLock { $0.scheduledAt }
      if DispatchTime.now().uptimeNanoseconds &- askedAt < Self.maximumDrainDelay {
        queue.async { self.flushDirty() }
        return
      }
    }
    if upstream.isUnderWay && waitForUpstream() { return }
    writeDirty()
  }

  /// Marks the scheduled drain as waiting and registers with `upstream`; false when upstream
  /// work ended meanwhile (then the drain goes on now).
  private func waitForUpstream() -> Bool {
    dirty.withLock { $0.waitingForUpstream = true }
    guard upstream.wait(self) else {
      dirty.withLock { $0.waitingForUpstream = false }
      return false
    }
    upstreamWaitTimer.source.schedule(
      deadline: .now() + upstreamWait, leeway: .microseconds(100))
    return true
  }

  /// Upstream work ended or released output: a drain waiting for it writes, after whatever
  /// that work handed the loop (queued before this).
  func drainAfterWaiting() {
    queue.async {
      let due = self.dirty.withLock { $0.waitingForUpstream }
      if due { self.writeDirty() }
    }
  }

  /// Runs on `queue`: writes every connection marked since the last drain.
  private func writeDirty() {
    var batch: [Connection] = []
    dirty.withLock { list in
      swap(&batch, &list.connections)
      list.drainScheduled = false
      list.waitingForUpstream = false
    }
    drains.add(1, ordering: .relaxed)
    for connection in batch { connection.flush() }
  }
}

/// A Dispatch timer held by a `Sendable` object: Dispatch sources are thread-safe, but not
/// marked `Sendable`. The loop schedules its timer only on its own queue.
private final class SendableTimer: @unchecked Sendable {
  let source: DispatchSourceTimer
  init(_ source: DispatchSourceTimer) { self.source = source }
}

/// The loops a server's connections are spread over: one per processor, since each loop runs
/// on at most one thread at a time.
public final class IOLoopGroup: Sendable {
  public let loops: [IOLoop]
  private let next = Atomic<Int>(0)

  /// A group of `count` loops (at least one), each running at most `handshakeLimit` TLS
  /// handshakes at once.
  public init(
    count: Int, handshakeLimit: Int = IOLoop.defaultHandshakeLimit,
    handshakesPerAddress: Int = IOLoop.defaultHandshakesPerAddress
  ) {
    loops = (0..<max(1, count)).map {
      IOLoop(
        label: "lyceum.io.\($0)", handshakeLimit: handshakeLimit,
        handshakesPerAddress: handshakesPerAddress)
    }
  }

  /// One loop whose drains wait for `upstream`, at most `upstreamWait` each (for tests).
  init(waitingFor upstream: UpstreamWork, atMost upstreamWait: DispatchTimeInterval) {
    loops = [IOLoop(label: "lyceum.io.0", upstream: upstream, upstreamWait: upstreamWait)]
  }

  /// The group the listeners use unless given another: one loop per active processor.
  public static let shared = IOLoopGroup(count: systemProcessorCount())

  /// The loop for the next connection, round-robin.
  public func nextLoop() -> IOLoop {
    let index = next.add(1, ordering: .relaxed).oldValue
    return loops[index % loops.count]
  }
}

/// The processors this process may run on (at least one): its CPU affinity where the system
/// says (Linux), else the processors online.
///
/// Why the affinity: a server started under `taskset -c 0` (or a container's CPU set) has one
/// processor however many the machine has, and a second loop then only takes turns with the
/// first on it, each switch a context switch. Measured (release, TLS, `fanout --clients 200
/// --rate 0`, the server on CPU 0 and the bench on CPU 1, three runs each, alternating): the
/// same 1.9-2.0 M deliveries/s with one loop as with two, so what it saves is threads and
/// memory on a large machine that gives the server few of its processors.
func systemProcessorCount() -> Int {
  let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  #if canImport(Glibc)
    // `sched_getaffinity` is not in Swift's Glibc module (it needs _GNU_SOURCE).
    typealias GetAffinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else {
      return online
    }
    var set = cpu_set_t()
    let size = MemoryLayout<cpu_set_t>.size
    let status = withUnsafeMutableBytes(of: &set) { bytes in
      unsafeBitCast(symbol, to: GetAffinity.self)(0, size, bytes.baseAddress!)
    }
    guard status == 0 else { return online }
    let allowed = withUnsafeBytes(of: &set) { bytes in
      bytes.reduce(0) { $0 + $1.nonzeroBitCount }
    }
    return max(1, min(online, allowed))
  #else
    return online
  #endif
}
