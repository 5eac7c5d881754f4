/// Standard base64 (RFC 4648 §4, with `=` padding), as SCRAM and the stored scrypt string use.
///
/// Decoding is strict — no whitespace, correct padding, zero trailing bits — so that one value
/// has exactly one encoding and a peer cannot smuggle variants past a comparison.
enum Base64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let word =
        UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      for shift in [18, 12, 6, 0] { out.append(alphabet[Int((word >> UInt32(shift)) & 0x3F)]) }
      index += 3
    }
    let rest = bytes.count - index
    if rest > 0 {
      var word = UInt32(bytes[index]) << 16
      if rest == 2 { word |= UInt32(bytes[index + 1]) << 8 }
      out.append(alphabet[Int((word >> 18) & 0x3F)])
      out.append(alphabet[Int((word >> 12) & 0x3F)])
      out.append(rest == 2 ? alphabet[Int((word >> 6) & 0x3F)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The decoded bytes, or nil if `text` is not canonical padded base64.
  static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
    let input = Array(text.utf8)
    guard input.count % 4 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(input.count / 4 * 3)
    var index = 0
    while index < input.count {
      let isLast = index + 4 == input.count
      var values: [UInt32] = []
      var padding = 0
      for offset in 0..<4 {
        let byte = input[index + offset]
        if byte == UInt8(ascii: "=") {
          guard isLast, offset >= 2 else { return nil }
          padding += 1
        } else {
          guard padding == 0, let value = value(of: byte) else { return nil }
          values.append(value)
        }
      }
      var word: UInt32 = 0
      for value in values { word = word << 6 | value }
      word <<= UInt32(6 * padding)
      let produced = 3 - padding
      // Reject non-zero bits in the part of the last character that padding discards.
      if padding > 0, word & ((1 << UInt32(8 * padding)) - 1) != 0 { return nil }
      for position in 0..<produced { out.append(UInt8((word >> UInt32(16 - 8 * position)) & 0xFF)) }
      index += 4
    }
    return out
  }

  private static func value(of byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
}

/// Lowercase hexadecimal, as token digests and certificate fingerprints are written.
enum Hex {
  private static let digits = Array("0123456789abcdef".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The bytes of a hex string (either case), or nil if it is not one.
  static func decode(_ text: String) -> [UInt8]? {
    let input = Array(text.utf8)
    guard input.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(input.count / 2)
    var index = 0
    while index < input.count {
      guard let high = nibble(input[index]), let low = nibble(input[index + 1]) else { return nil }
      out.append(high << 4 | low)
      index += 2
    }
    return out
  }

  private static func nibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
