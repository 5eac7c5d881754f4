/// A token bucket: holds up to `burst` tokens and gains `ratePerSecond` of them per second; each
/// command takes one. Pure and driven by the caller's monotonic time.
///
/// The limits are passed in on every call rather than stored, so that a reload of the
/// configuration applies to every running bucket at once.
struct TokenBucket: Equatable, Sendable {
  /// Tokens available at `updatedAt`; fractional while refilling.
  private(set) var tokens: Double
  private(set) var updatedAt: Duration

  /// Below one token by less than this still counts as a whole token, so that a timer firing at
  /// the computed refill instant never finds 0.9999999 and spins.
  private static let epsilon = 1e-9

  /// A full bucket.
  init(limits: BucketLimits, now: Duration) {
    tokens = Double(limits.burst)
    updatedAt = now
  }

  /// Takes one token if there is one (after refilling up to `now`).
  mutating func take(_ limits: BucketLimits, now: Duration) -> Bool {
    refill(limits, now: now)
    guard tokens >= 1 - Self.epsilon else { return false }
    tokens = max(0, tokens - 1)
    return true
  }

  /// When the next whole token will be there (now or later), given no one takes any before.
  func nextTokenAt(_ limits: BucketLimits) -> Duration {
    let missing = 1 - tokens
    guard missing > Self.epsilon, limits.ratePerSecond > 0 else { return updatedAt }
    // Rounded up to the nanosecond so that a timer set for it never fires early.
    let nanoseconds = (missing / limits.ratePerSecond * 1e9).rounded(.up)
    return updatedAt + .nanoseconds(Int64(min(nanoseconds, 3.2e18)))
  }

  private mutating func refill(_ limits: BucketLimits, now: Duration) {
    guard now > updatedAt else { return }
    let elapsed = now - updatedAt
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    tokens = min(Double(limits.burst), tokens + seconds * limits.ratePerSecond)
    updatedAt = now
  }
}

/// The size and refill rate of a `TokenBucket`.
public struct BucketLimits: Sendable, Equatable {
  /// Commands that may run back to back before the rate applies.
  public var burst: Int
  /// Commands per second once the burst is spent; fractions allowed.
  public var ratePerSecond: Double

  public init(burst: Int, ratePerSecond: Double) {
    self.burst = burst
    self.ratePerSecond = ratePerSecond
  }
}
