import Dispatch
import Synchronization

/// Work that is about to hand the loops output: input queued for the server's core, and
/// commits whose output is held until they end. While any is under way, a loop that is due to
/// write waits for it (at most until the next release of held output, or `IOLoop`'s
/// `maximumUpstreamWait`), so that the lines of one burst go out in one write per connection.
///
/// Why: twenty senders posting at the same moment to a room of a thousand reach the server
/// in clumps, not at once. The first line was committed and written to every member before
/// the rest had been handled, so each member got about two writes per burst (`perf stat`,
/// `lyceum-bench fanout --senders 20 --rate 100`: 1.9 `write` calls per member per burst with
/// history on, 2.2 with it off, where ngIRCd makes one); at light load the kernel's part of a
/// write is half the server's CPU. With the wait: 1.5 to 1.8, and 15-20 % less CPU per line
/// (the rest are clumps that reach the server milliseconds apart; see BENCHMARKS.md). A lone
/// line is not held back: nothing else is under way when its output is ready.
///
/// The count is process-wide (several servers in one test process share the loops); the
/// server raises it when it queues input or opens a commit, and lowers it when that is done,
/// just before it hands the loops the output.
public final class UpstreamWork: Sendable {
  /// The one the loops consult.
  public static let shared = UpstreamWork()

  private let underWay = Atomic<Int>(0)
  /// Loops whose drain waits; `hasWaiters` spares the lock when none does.
  private let waiting = Mutex<[IOLoop]>([])
  private let hasWaiters = Atomic<Bool>(false)

  init() {}

  /// `count` pieces of work began that will hand the loops output.
  public func begin(_ count: Int = 1) {
    underWay.add(count, ordering: .sequentiallyConsistent)
  }

  /// `count` pieces of work ended; true when none is left. The caller then hands their output
  /// to the loops and calls `outputReleased()`: ending first means a loop that drains
  /// meanwhile does not wait for work that is over, and waking after means a loop that waited
  /// finds the output queued ahead of its drain.
  @discardableResult
  public func end(_ count: Int = 1) -> Bool {
    underWay.subtract(count, ordering: .sequentiallyConsistent).newValue == 0
  }

  /// Output was just handed to the loops (held output released, or the last work ended):
  /// waiting loops write now, with it. Waking at every release, not only when nothing is under
  /// way, keeps a busy server's loops from waiting for work begun after theirs.
  public func outputReleased() {
    wakeWaitingLoops()
  }

  /// Whether any work is under way.
  var isUnderWay: Bool { underWay.load(ordering: .sequentiallyConsistent) > 0 }

  /// Registers `loop` to be woken when work ends or output is released, if work is under way;
  /// false (and not registered) when none is. Registering before looking again at the count
  /// means an end in between either sees the loop or is seen by it.
  func wait(_ loop: IOLoop) -> Bool {
    waiting.withLock { loops in
      // Once: a loop whose waits end on their time limit (a stalled disk) registers again and
      // again before anything wakes it.
      if !loops.contains(where: { $0 === loop }) { loops.append(loop) }
      hasWaiters.store(true, ordering: .sequentiallyConsistent)
    }
    if isUnderWay { return true }
    waiting.withLock { loops in
      loops.removeAll { $0 === loop }
      if loops.isEmpty { hasWaiters.store(false, ordering: .sequentiallyConsistent) }
    }
    return false
  }

  private func wakeWaitingLoops() {
    guard hasWaiters.load(ordering: .sequentiallyConsistent) else { return }
    let loops = waiting.withLock { loops -> [IOLoop] in
      hasWaiters.store(false, ordering: .sequentiallyConsistent)
      defer { loops = [] }
      return loops
    }
    for loop in loops { loop.drainAfterWaiting() }
  }
}
