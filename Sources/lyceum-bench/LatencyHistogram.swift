/// Latencies in whole microseconds in log-linear buckets (exact below 128 µs, then 64 buckets
/// per power of two: within 1.6%), so millions of samples cost no memory. Percentiles by
/// nearest rank; the maximum is exact.
struct LatencyHistogram {
  private(set) var counts = [Int](repeating: 0, count: 3712)
  private(set) var total = 0
  private(set) var sum = 0
  private(set) var maximum = 0

  @inline(__always)
  mutating func record(_ microseconds: Int) {
    let value = max(microseconds, 0)
    counts[Self.bucket(of: value)] += 1
    total += 1
    sum &+= value
    if value > maximum { maximum = value }
  }

  mutating func merge(_ other: LatencyHistogram) {
    for index in counts.indices { counts[index] += other.counts[index] }
    total += other.total
    sum &+= other.sum
    maximum = max(maximum, other.maximum)
  }

  @inline(__always)
  static func bucket(of value: Int) -> Int {
    if value < 128 { return value }
    let shift = (Int.bitWidth - value.leadingZeroBitCount) - 7
    return 128 + (shift - 1) * 64 + ((value >> shift) - 64)
  }

  /// The middle of a bucket.
  static func value(of bucket: Int) -> Int {
    if bucket < 128 { return bucket }
    let shift = (bucket - 128) / 64 + 1
    let mantissa = (bucket - 128) % 64 + 64
    return (mantissa << shift) + (1 << shift) / 2
  }

  /// The nearest-rank percentile `p` (0…100), in µs; 0 when empty.
  func percentile(_ p: Double) -> Double {
    guard total > 0 else { return 0 }
    let rank = max(1, Int((p / 100 * Double(total)).rounded(.up)))
    var seen = 0
    for (index, count) in counts.enumerated() where count > 0 {
      seen += count
      if seen >= rank { return Double(min(Self.value(of: index), maximum)) }
    }
    return Double(maximum)
  }

  var mean: Double { total > 0 ? Double(sum) / Double(total) : 0 }
}
