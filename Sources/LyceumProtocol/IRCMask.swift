/// An IRC glob mask such as `*!*@*.example.org`, as used by bans, invites and WHO.
///
/// `*` matches any run of characters (also none) and `?` exactly one character (one Unicode
/// scalar, not one byte). There is no escape character: `\` is a valid nickname character, so
/// it matches itself (folded under the case mapping like every other byte). Matching is
/// case-insensitive under `caseMapping` and works on UTF-8 bytes, without allocating.
public struct IRCMask: Sendable, Hashable {
  /// The mask as given.
  public let pattern: String
  /// The mapping both sides are folded with.
  public let caseMapping: CaseMapping
  /// `pattern`, folded once at init.
  private let folded: [UInt8]

  public init(_ pattern: String, caseMapping: CaseMapping = .rfc1459) {
    self.pattern = pattern
    self.caseMapping = caseMapping
    self.folded = pattern.utf8.map { caseMapping.fold(byte: $0) }
  }

  /// Whether `s` (typically `nick!user@host`) matches the mask.
  public func matches(_ s: String) -> Bool {
    UTF8Bytes.withBytes(s.utf8) { subject in
      folded.withUnsafeBufferPointer { match($0, subject) }
    }
  }

  /// Iterative wildcard matching with one backtrack point (the last `*`): linear for the
  /// common masks, never exponential.
  private func match(_ m: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var mi = 0
    var si = 0
    var starMask = -1
    var starSubject = 0
    while si < s.count {
      if mi < m.count {
        let c = m[mi]
        if c == ASCII.asterisk {
          starMask = mi
          mi += 1
          starSubject = si
          continue
        }
        if c == ASCII.question {
          mi += 1
          si = Self.nextScalar(s, after: si)
          continue
        }
        if c == caseMapping.fold(byte: s[si]) {
          mi += 1
          si += 1
          continue
        }
      }
      guard starMask >= 0 else { return false }
      // Let the last `*` take one more character and retry from there.
      starSubject = Self.nextScalar(s, after: starSubject)
      si = starSubject
      mi = starMask + 1
    }
    while mi < m.count && m[mi] == ASCII.asterisk { mi += 1 }
    return mi == m.count
  }

  /// The index after the scalar starting at `i` (skips UTF-8 continuation bytes).
  @inline(__always)
  private static func nextScalar(_ s: UnsafeBufferPointer<UInt8>, after i: Int) -> Int {
    var j = i + 1
    while j < s.count && s[j] & 0xC0 == 0x80 { j += 1 }
    return j
  }
}
