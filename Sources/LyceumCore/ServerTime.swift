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

  /// Converts days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width
      ? digits : String(repeating: "0", count: width - digits.count) + digits
  }
}
