/// At most `count` events per `window` for each key (an IP address), remembering only the last
/// `count` times of each key. Pure and driven by the caller's monotonic time; used for the
/// per-IP connection and registration throttles.
public struct SlidingWindowLimiter: Sendable {
  private var events: [String: [Duration]] = [:]
  private var lastSweep: Duration = .zero

  public init() {}

  /// Records an event for `key` and returns nil when the limit allows it; otherwise records
  /// nothing and returns how long until it would be allowed.
  public mutating func admit(_ key: String, limit: RateLimit, now: Duration) -> Duration? {
    if let wait = retryAfter(key, limit: limit, now: now) { return wait }
    record(key, limit: limit, now: now)
    return nil
  }

  /// How long until `key` may have another event; nil when it may now.
  public func retryAfter(_ key: String, limit: RateLimit, now: Duration) -> Duration? {
    guard let times = events[key], times.count >= limit.count, limit.count > 0 else {
      return limit.count > 0 ? nil : limit.window
    }
    let oldestCounted = times[times.count - limit.count]
    let wait = oldestCounted + limit.window - now
    return wait > .zero ? wait : nil
  }

  /// Counts an event for `key` at `now`.
  public mutating func record(_ key: String, limit: RateLimit, now: Duration) {
    var times = events[key] ?? []
    times.append(now)
    if times.count > limit.count { times.removeFirst(times.count - limit.count) }
    events[key] = times
    if now - lastSweep >= limit.window { sweep(window: limit.window, now: now) }
  }

  /// Number of keys remembered; for tests.
  var keyCount: Int { events.count }

  /// Forgets keys whose every event is older than `window`, so memory follows recent traffic.
  private mutating func sweep(window: Duration, now: Duration) {
    lastSweep = now
    events = events.filter { _, times in times.last.map { now - $0 < window } ?? false }
  }
}

/// At most `count` events per `window`.
public struct RateLimit: Sendable, Equatable {
  public var count: Int
  public var window: Duration

  public init(count: Int, window: Duration) {
    self.count = count
    self.window = window
  }

  /// A wait as the whole seconds shown to users ("try again in N seconds"), at least 1.
  public static func wholeSeconds(_ wait: Duration) -> Int {
    let (seconds, attoseconds) = wait.components
    return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
  }
}
