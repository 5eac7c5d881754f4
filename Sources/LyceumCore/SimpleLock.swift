import Synchronization

/// A mutex around a critical section, for the few core types shared across threads (stores for
/// tests). The core itself is confined to one queue and needs none.
final class SimpleLock: Sendable {
  private let mutex = Mutex(())

  func locked<T>(_ body: () throws -> T) rethrows -> T {
    try mutex.withLock { _ in try body() }
  }
}
