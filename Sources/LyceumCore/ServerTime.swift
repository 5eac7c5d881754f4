import LyceumProtocol

/// Formats wall-clock milliseconds as the IRCv3 `server-time` value,
/// `YYYY-MM-DDThh:mm:ss.sssZ` (UTC, millisecond precision).
///
/// Written out by hand (civil-from-days) so the pure core needs no Foundation date formatter.
public enum ServerTime {
  public static func format(milliseconds: Int64) -> String {
    let millis = Int(milliseconds % 1000)
    let totalSeconds = Int(milliseconds / 1000)
    let days = totalSeconds / 86_400
    let secondsOfDay = totalSeconds % 86_400
    let (year, month, day) = civilDate(daysSinceEpoch: days)
    var out = ""
    out.reserveCapacity(24)
    out += pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
    out += pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":"
    out += pad(secondsOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
    return out
  }

  /// Parses `YYYY-MM-DDThh:mm:ss[.sss]Z` (the form `format` writes, as `CHATHISTORY`'s
  /// `timestamp=` references use) into milliseconds; nil for anything else.
  public static func parse(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
      bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let byte = bytes[index]
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var millis = 0
    if bytes.count > 20 {
      guard bytes[19] == UInt8(ascii: "."), bytes.count <= 30,
        let fraction = number(20..<(bytes.count - 1))
      else { return nil }
      let digits = bytes.count - 21
      millis = digits >= 3 ? fraction / Int(pow10(digits - 3)) : fraction * Int(pow10(3 - digits))
    } else if bytes.count != 20 {
      return nil
    }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    return Int64(((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + Int64(millis)
  }

  private static func pow10(_ exponent: Int) -> Int {
    (0..<exponent).reduce(1) { value, _ in value * 10 }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (see `CivilDate`).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    CivilDate.days(year: year, month: month, day: day)
  }

  /// The proleptic Gregorian date of a day number (see `CivilDate`).
  static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
    CivilDate.date(fromDays: daysSinceEpoch)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width
      ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}
