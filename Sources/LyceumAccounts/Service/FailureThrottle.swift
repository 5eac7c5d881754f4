/// Counts failed logins per key (an IP, an account) in a sliding window, so that guessing
/// passwords costs real time whichever way an attacker spreads the attempts.
///
/// A key with `limit` failures inside the last `window` is throttled — even the right password is
/// refused — until the oldest of those failures leaves the window. Successes and throttled
/// attempts are not counted, so a throttled user is let in as soon as the window has passed.
struct FailureThrottle {
  let limit: Int
  let window: Duration
  /// Monotonic times of recent failures, oldest first.
  private var failures: [String: [Duration]] = [:]
  /// Past this many keys, a failure first sweeps every key's expired entries (bounds memory
  /// against an attacker who cycles through names or addresses).
  private let sweepThreshold = 10_000

  init(limit: Int, window: Duration) {
    self.limit = max(1, limit)
    self.window = window
  }

  /// Seconds until every key in `keys` may try again, or nil if none is throttled now.
  mutating func retryAfterSeconds(keys: [String], now: Duration) -> Int? {
    var longest: Duration?
    for key in keys {
      guard let times = prune(key, now: now), times.count >= limit else { continue }
      let reopens = times[times.count - limit] + window - now
      if longest.map({ reopens > $0 }) ?? true { longest = reopens }
    }
    guard let longest else { return nil }
    let (seconds, attoseconds) = longest.components
    return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
  }

  /// Records one failed attempt against each key.
  mutating func recordFailure(keys: [String], now: Duration) {
    if failures.count > sweepThreshold {
      for key in Array(failures.keys) { _ = prune(key, now: now) }
    }
    for key in keys { failures[key, default: []].append(now) }
  }

  /// Drops the key's failures older than the window; returns what is left (nil if nothing).
  private mutating func prune(_ key: String, now: Duration) -> [Duration]? {
    guard var times = failures[key] else { return nil }
    times.removeAll { $0 + window <= now }
    failures[key] = times.isEmpty ? nil : times
    return times.isEmpty ? nil : times
  }

  static func ipKey(_ ip: String) -> String { "ip " + ip }
  static func accountKey(_ foldedName: String) -> String { "account " + foldedName }
}
