/// Makes `msgid` values that are unique within the server and sort by creation time.
///
/// Layout: 48 bits of wall-clock milliseconds then a 16-bit counter, written as 13 characters of
/// Crockford base32 (lexicographic order equals numeric order). The counter spills into the
/// timestamp when more than 65 536 ids are made in one millisecond, so ids stay increasing even
/// if the wall clock steps back.
public struct MessageIDGenerator: Sendable {
  private var last: UInt64 = 0
  private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

  public init() {}

  public mutating func next(wallClockMilliseconds: Int64) -> String {
    let candidate = UInt64(max(0, wallClockMilliseconds)) << 16
    last = candidate > last ? candidate : last + 1
    var value = last
    var bytes = [UInt8](repeating: 0, count: 13)
    for index in stride(from: 12, through: 0, by: -1) {
      bytes[index] = Self.alphabet[Int(value & 31)]
      value >>= 5
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
