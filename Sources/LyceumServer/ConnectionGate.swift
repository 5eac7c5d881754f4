import LyceumCore
import Synchronization

/// The per-IP connection limit and connection throttle, checked as each connection is
/// accepted, before its TLS handshake. Thread-safe (listeners accept on their own queues);
/// never blocks beyond a short lock.
final class ConnectionGate: Sendable {
  private struct State {
    var limit: Int
    var rate: RateLimit
    var exempt: Set<String>
    /// Open connections per IP, exempt ones included (so a reload cannot unbalance them).
    var open: [String: Int] = [:]
    var recent = SlidingWindowLimiter()
  }

  private let state: Mutex<State>
  private let clock: any ServerClock
  /// Fixed for the gate's life, so that a connection is released under the key it was counted
  /// under.
  private let ipv6Prefix: Int

  init(_ configuration: ConnectionsConfiguration, clock: any ServerClock) {
    self.clock = clock
    ipv6Prefix = configuration.ipv6Prefix
    state = Mutex(
      State(
        limit: configuration.perIPLimit, rate: configuration.perIPRate.rateLimit,
        exempt: configuration.canonicalExemptIPs))
  }

  /// Applies a reloaded configuration; open connections are kept and still counted.
  func reconfigure(_ configuration: ConnectionsConfiguration) {
    state.withLock {
      $0.limit = configuration.perIPLimit
      $0.rate = configuration.perIPRate.rateLimit
      $0.exempt = configuration.canonicalExemptIPs
    }
  }

  /// Counts a new connection from `ip` and returns nil, or returns why it is refused (the text
  /// in parentheses of its `ERROR`) without counting it. Every admitted connection must be
  /// `release`d when it closes.
  func admit(_ ip: String) -> String? {
    let now = clock.monotonicNow()
    let group = AddressGroup.key(for: ip, ipv6PrefixLength: ipv6Prefix)
    return state.withLock { state in
      if !state.exempt.contains(ip) {
        if state.open[group, default: 0] >= state.limit {
          return "Too many connections from your address"
        }
        if let wait = state.recent.admit(group, limit: state.rate, now: now) {
          return "Connecting too fast; try again in \(RateLimit.wholeSeconds(wait)) seconds"
        }
      }
      state.open[group, default: 0] += 1
      return nil
    }
  }

  /// An admitted connection from `ip` has closed.
  func release(_ ip: String) {
    let group = AddressGroup.key(for: ip, ipv6PrefixLength: ipv6Prefix)
    state.withLock { state in
      let remaining = state.open[group, default: 1] - 1
      state.open[group] = remaining > 0 ? remaining : nil
    }
  }

  /// Open connections counted for `ip` (its whole IPv6 prefix); for tests and logs.
  func openConnections(from ip: String) -> Int {
    let group = AddressGroup.key(for: ip, ipv6PrefixLength: ipv6Prefix)
    return state.withLock { $0.open[group, default: 0] }
  }
}
