/// The key per-address limits count under: an IPv4 address as it is, an IPv6 address by its
/// network prefix (a /64 by default). One IPv6 host usually holds a whole /64, so counting each
/// of its addresses apart would let it open 2^64 "different" clients.
public enum AddressGroup {
  /// The default IPv6 prefix length that counts as one address.
  public static let defaultIPv6PrefixLength = 64

  /// `ip` itself for IPv4 (or anything that is not IPv6 text), else its first
  /// `ipv6PrefixLength` bits written as `2001:db8:0:1::/64`.
  public static func key(for ip: String, ipv6PrefixLength: Int = defaultIPv6PrefixLength)
    -> String
  {
    guard ip.contains(":"), ipv6PrefixLength < 128, let bytes = ipv6Bytes(ip) else { return ip }
    var masked = bytes
    let prefix = max(0, ipv6PrefixLength)
    for index in 0..<16 {
      let bitsHere = min(8, max(0, prefix - index * 8))
      masked[index] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
    }
    let hextets = stride(from: 0, to: 16, by: 2).map {
      String(UInt16(masked[$0]) << 8 | UInt16(masked[$0 + 1]), radix: 16)
    }
    // The prefix's hextets, then "::" for the zeros after it.
    let kept = (prefix + 15) / 16
    return hextets.prefix(kept).joined(separator: ":") + "::/\(prefix)"
  }

  /// The 16 bytes of IPv6 text (`2001:db8::1`, with at most one `::`); nil if malformed.
  static func ipv6Bytes(_ text: String) -> [UInt8]? {
    let halves = text.components(separatedByDoubleColon: ())
    guard halves.count <= 2 else { return nil }
    func groups(_ part: Substring) -> [UInt16]? {
      if part.isEmpty { return [] }
      var values: [UInt16] = []
      for group in part.split(separator: ":", omittingEmptySubsequences: false) {
        guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else {
          return nil
        }
        values.append(value)
      }
      return values
    }
    guard let head = groups(halves[0]) else { return nil }
    var tail: [UInt16] = []
    if halves.count == 2 {
      guard let parsed = groups(halves[1]) else { return nil }
      tail = parsed
    }
    let missing = 8 - head.count - tail.count
    guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
    let all = head + Array(repeating: 0, count: halves.count == 2 ? missing : 0) + tail
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
  }
}

extension String {
  /// Splits at the first `::` (IPv6's run of zeros): one part without it, two with it, three
  /// or more when there is a second `::` (malformed).
  fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
    var parts: [Substring] = []
    var start = startIndex
    var index = startIndex
    while index < endIndex {
      let next = self.index(after: index)
      if self[index] == ":", next < endIndex, self[next] == ":" {
        parts.append(self[start..<index])
        start = self.index(after: next)
        index = start
        continue
      }
      index = next
    }
    parts.append(self[start..<endIndex])
    return parts
  }
}
