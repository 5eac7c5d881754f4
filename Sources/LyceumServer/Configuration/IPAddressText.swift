import Glibc

/// IP address literals as the transport writes peers' addresses.
enum IPAddressText {
  /// `text` in canonical form (`inet_ntop` of `inet_pton`), IPv4-mapped IPv6 as plain IPv4;
  /// nil when it is not an IP address literal.
  static func canonical(_ text: String) -> String? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { format(AF_INET, $0) }
    }
    var v6 = in6_addr()
    guard inet_pton(AF_INET6, text, &v6) == 1,
      let canonical = withUnsafeBytes(of: &v6, { format(AF_INET6, $0) })
    else {
      return nil
    }
    if canonical.hasPrefix("::ffff:"), canonical.contains(".") {
      return String(canonical.dropFirst(7))
    }
    return canonical
  }

  private static func format(_ family: Int32, _ address: UnsafeRawBufferPointer) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    guard inet_ntop(family, address.baseAddress, &buffer, socklen_t(buffer.count)) != nil else {
      return nil
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
