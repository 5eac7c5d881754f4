import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// How the server's allocator hands memory back to the system.
///
/// Send queues of slow readers grow to the send-queue bound (1 MiB) and are freed when the
/// reader is dropped. glibc serves blocks that large with `mmap` at first, but after the first
/// such free it raises its threshold (up to 32 MiB), so later queues come from the heap arenas,
/// whose freed pages stay with the process. Measured with `bench/attack/non_readers.py` (500
/// clients that never read, release build): 1.04-1.45x the send queue per client at the peak,
/// and 419-739 MiB still held 15 s after the last drop, from a 38 MiB baseline. With both
/// measures below: a peak of 0.34-1.13x (it varies with how many queues are full at once; since
/// a backlog keeps references to shared lines instead of copies, 0.05-0.10x),
/// and back at the baseline 15 s after the last drop in every run.
///
/// Two measures: a fixed `mmap` threshold keeps every buffer of 128 KiB or more in its own
/// mapping, returned on free (and counted in RSS only for the pages written); and after slow
/// readers are dropped, one `malloc_trim` a moment later gives back the free pages left
/// between the heap's live blocks. The trim briefly holds the allocator's locks, so it runs
/// only then, at most once per few seconds, never on a timer.
///
/// And the number of allocator arenas is capped at `arenas`. glibc gives threads that meet in
/// `malloc` arenas of their own, up to eight per processor; Dispatch runs the hub and the loops
/// on whichever of its threads is free, so over time every worker thread has an arena, and
/// memory freed in one (a line the hub made, freed by the loop that wrote it) stays there for
/// that arena's next user. Measured (release, TLS, `fanout --clients 200 --senders 10 --rate 0`,
/// three runs each, alternating): peak anonymous memory 34-36 MiB with glibc's default, 23-24
/// MiB with two arenas, 19-20 MiB with one; deliveries/s 2 % lower with two, 5 % with one. An
/// operator's `MALLOC_ARENA_MAX` wins.
public enum MemoryPolicy {
  static let mmapThreshold: Int32 = 128 * 1024
  /// glibc's `M_MMAP_THRESHOLD` (`<malloc.h>`, which Swift's Glibc module does not include).
  static let mmapThresholdParameter: Int32 = -3
  static let arenas: Int32 = 2
  /// glibc's `M_ARENA_MAX`.
  static let arenaMaximumParameter: Int32 = -8
  /// How long after a drop the trim waits (further drops in a burst share it).
  static let trimDelay: DispatchTimeInterval = .seconds(2)
  private static let trimScheduled = Atomic<Bool>(false)

  /// Sets the `mmap` threshold and the arena cap; call once at start-up, before the server's
  /// threads allocate.
  public static func apply() {
    #if canImport(Glibc)
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      _ = mallopt(mmapThresholdParameter, mmapThreshold)
      if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(arenaMaximumParameter, arenas) }
    #endif
  }

  /// Deliveries released at once from which the hub counts a burst (`afterBurst`): a join
  /// storm or a backlog of fan-out, far above what a busy room's commit releases.
  static let burstDeliveries = 20_000

  /// The hub just released `deliveries` lines at once. Their transit memory (queues, batches,
  /// send buffers) is freed once they are written, but glibc keeps it in its arenas: measured
  /// with `fanout --clients 1000` (release, TLS), 90 MiB resident after the join storm with
  /// 20 MiB in use. So a burst schedules the same trim as a dropped slow reader.
  ///
  /// At most once per `burstTrimSpacing`: under sustained overload nearly every commit releases
  /// a burst, and a trim walks the heap holding each arena's lock in turn.
  static func afterBurst(deliveries: Int) {
    guard deliveries >= burstDeliveries else { return }
    let now = DispatchTime.now().uptimeNanoseconds
    let last = lastBurstTrim.load(ordering: .relaxed)
    guard now &- last >= burstTrimSpacing || last == 0,
      lastBurstTrim.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
    else { return }
    releaseFreedMemorySoon()
  }

  /// The least time between two trims asked for by bursts (nanoseconds).
  static let burstTrimSpacing: UInt64 = 30_000_000_000
  private static let lastBurstTrim = Atomic<UInt64>(0)

  /// A slow reader's queue was just freed: trim the heap shortly, once for a whole burst.
  static func releaseFreedMemorySoon() {
    #if canImport(Glibc)
      guard
        trimScheduled.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
      else { return }
      DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + trimDelay) {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
          _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        trimScheduled.store(false, ordering: .relaxed)
      }
    #endif
  }
}
