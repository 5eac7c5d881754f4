/// Checks that bytes are well-formed UTF-8 (Unicode 15, Table 3-7): no overlongs, no
/// surrogates, nothing above U+10FFFF, no truncated sequences.
///
/// IRC lines arrive as bytes; Lyceum is UTF-8 only (`UTF8ONLY`), so the parser rejects a line
/// before it builds any String. ASCII, the common case, is checked eight bytes at a time.
public enum UTF8Validation {
  /// Whether `bytes` is well-formed UTF-8.
  public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
    UTF8Bytes.withBytes(bytes) { isValid(buffer: $0) }
  }

  /// Whether the bytes in `p` are well-formed UTF-8.
  public static func isValid(buffer p: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = p.count
    var i = 0
    guard let base = p.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    while i < n {
      // ASCII fast path: eight bytes at a time while no high bit is set.
      while i + 8 <= n,
        raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        i += 8
      }
      guard i < n else { break }
      let b0 = p[i]
      if b0 < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var lower: UInt8 = 0x80
      var upper: UInt8 = 0xBF
      switch b0 {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        lower = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        upper = 0x9F
      case 0xF0:
        length = 4
        lower = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        upper = 0x8F
      default: return false
      }
      guard i + length <= n else { return false }
      let b1 = p[i + 1]
      guard b1 >= lower && b1 <= upper else { return false }
      var k = 2
      while k < length {
        guard p[i + k] & 0xC0 == 0x80 else { return false }
        k += 1
      }
      i += length
    }
    return true
  }
}
