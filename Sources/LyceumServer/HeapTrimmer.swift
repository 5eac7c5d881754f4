import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Gives memory freed after a burst of connections back to the system.
///
/// A TLS handshake allocates more than twice what the connection keeps afterwards (OpenSSL's
/// handshake buffers and key exchange). When hundreds of clients connect at once, glibc's
/// malloc keeps the freed memory in holes between the survivors, and the server's resident
/// size stays near its peak: measured with 2000 idle TLS clients, about 47 KB per client before
/// a trim and 25 KB after it. `malloc_trim(0)` returns the free pages; it holds the allocator's
/// locks for a moment, so it runs only after at least `threshold` connections opened or closed
/// since the last trim, checked every `interval`.
final class HeapTrimmer: @unchecked Sendable {
  /// Connections opened plus connections closed, ever.
  private let churn = Atomic<Int>(0)
  private let threshold: Int
  private let queue = DispatchQueue(label: "lyceum.heap-trim", qos: .utility)
  // Queue-confined.
  private var trimmedAtChurn = 0
  private var timer: DispatchSourceTimer?

  init(threshold: Int = 64) {
    self.threshold = threshold
  }

  /// Counts a connection opened or closed.
  func noteConnectionOpenedOrClosed() {
    churn.add(1, ordering: .relaxed)
  }

  func start(checkingEvery interval: DispatchTimeInterval = .seconds(2)) {
    queue.async { [self] in
      guard timer == nil else { return }
      let timer = DispatchSource.makeTimerSource(queue: queue)
      timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(500))
      timer.setEventHandler { [unowned self] in trimIfChurned() }
      timer.activate()
      self.timer = timer
    }
  }

  func stop() {
    queue.sync {
      timer?.cancel()
      timer = nil
    }
  }

  /// Trims when enough connections came and went since the last trim; whether it did. Runs on
  /// `queue` (tests call it directly, with no timer started).
  @discardableResult
  func trimIfChurned() -> Bool {
    let now = churn.load(ordering: .relaxed)
    guard now - trimmedAtChurn >= threshold else { return false }
    trimmedAtChurn = now
    _ = Self.mallocTrim?(0)
    return true
  }

  /// Whether this C library has `malloc_trim`.
  static var canTrim: Bool { mallocTrim != nil }

  /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module leaves out
  /// `<malloc.h>`, and another C library may not have it (then nothing is trimmed).
  private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
    #if canImport(Glibc)
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else {
        return nil
      }
      return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    #else
      return nil
    #endif
  }()
}
