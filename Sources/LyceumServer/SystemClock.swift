import Glibc
import LyceumCore

/// The real clock: `ContinuousClock` for timeouts, `CLOCK_REALTIME` for timestamps.
struct SystemClock: ServerClock {
  private let origin = ContinuousClock.now

  func monotonicNow() -> Duration { ContinuousClock.now - origin }

  func wallClockMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }
}
