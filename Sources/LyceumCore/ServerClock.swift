/// The time source of the core: a monotonic reading for timeouts and a wall clock for
/// `server-time` tags and timestamps shown to users.
///
/// Injected so that tests drive timeouts with a manual clock instead of sleeping.
public protocol ServerClock: Sendable {
  /// Monotonic time since an arbitrary origin; never goes backwards.
  func monotonicNow() -> Duration
  /// Milliseconds since the Unix epoch (UTC).
  func wallClockMilliseconds() -> Int64
}

/// A clock that moves only when told to; for tests.
public final class ManualClock: ServerClock, @unchecked Sendable {
  // Mutated only by the test that owns it, on the same thread as the core it drives.
  private var monotonic: Duration = .zero
  private var wallMilliseconds: Int64

  public init(wallClockMilliseconds: Int64 = 1_700_000_000_000) {
    self.wallMilliseconds = wallClockMilliseconds
  }

  public func advance(by duration: Duration) {
    monotonic += duration
    let (seconds, attoseconds) = duration.components
    wallMilliseconds += seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }

  public func monotonicNow() -> Duration { monotonic }
  public func wallClockMilliseconds() -> Int64 { wallMilliseconds }
}
