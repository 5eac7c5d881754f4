/// Parsing of the durations written in the configuration file.
enum ConfigurationDuration {
  /// Units accepted after a number, in seconds.
  private static let units: [(suffix: String, seconds: Double)] = [
    ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
  ]

  /// Parses `"0.2"`, `"500ms"`, `"10s"`, `"2m"`, `"1h"` or `"1d"`; a bare number is seconds.
  /// Returns `nil` for anything else, negative or absurdly large values included.
  static func parse(_ text: String) -> Duration? {
    let trimmed = text.trimmingWhitespace()
    var number = Substring(trimmed)
    var scale = 1.0
    // "ms" must be tried before "m" and "s".
    for unit in units where trimmed.hasSuffix(unit.suffix) {
      number = trimmed.dropLast(unit.suffix.count)
      scale = unit.seconds
      break
    }
    let numberText = number.trimmingWhitespace()
    guard !numberText.isEmpty, numberText.allSatisfy({ $0.isNumber || $0 == "." }),
      let value = Double(numberText)
    else { return nil }
    let nanoseconds = (value * scale * 1e9).rounded()
    // Up to about 100 years, far beyond any sensible timeout but safe from Int64 overflow.
    guard nanoseconds.isFinite, nanoseconds >= 0, nanoseconds < 3.2e18 else { return nil }
    return .nanoseconds(Int64(nanoseconds))
  }

  /// A duration written back the way the file accepts it, e.g. `90s` or `0.2s`.
  static func format(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    if attoseconds == 0 { return "\(seconds)s" }
    return "\(Double(seconds) + Double(attoseconds) / 1e18)s"
  }
}

extension StringProtocol {
  /// The text without leading and trailing whitespace (no Foundation needed).
  func trimmingWhitespace() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }),
      let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}
