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

  /// Makes every later id sort after `msgid` (one this generator made, perhaps in an earlier
  /// run): at start-up, with the newest kept id, so that a wall clock set back across a restart
  /// cannot make an id that history already holds.
  public mutating func continueAfter(_ msgid: String) {
    let bytes = Array(msgid.utf8)
    guard bytes.count == 13 else { return }
    var value: UInt64 = 0
    for byte in bytes {
      guard let digit = Self.alphabet.firstIndex(of: byte) else { return }
      value = value << 5 | UInt64(digit)
    }
    last = max(last, value)
  }

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
