import LyceumProtocol

/// Times of messages as the client shows them, from milliseconds since the Unix epoch (what
/// `server-time` carries) and the local UTC offset in seconds.
///
/// Pure arithmetic (`CivilDate`), so no Foundation and no time-zone database: the app passes
/// the offset it got from its environment.
public enum TimestampFormat {
  /// The day number (days since 1970-01-01) of `ms` at UTC offset `offset`: two messages are on
  /// the same local day when their day numbers are equal.
  public static func dayNumber(ms: Int64, offset: Int) -> Int64 {
    floorDivide(localSeconds(ms: ms, offset: offset), 86_400)
  }

  /// The local time of day of `ms` as "HH:mm", 24-hour clock.
  public static func hourMinute(ms: Int64, offset: Int) -> String {
    let seconds = localSeconds(ms: ms, offset: offset)
    let ofDay = seconds - floorDivide(seconds, 86_400) * 86_400
    return pad(ofDay / 3600, 2) + ":" + pad(ofDay % 3600 / 60, 2)
  }

  /// The local date of `ms` as "YYYY-MM-DD", for day separators.
  public static func dayLabel(ms: Int64, offset: Int) -> String {
    let date = civilDate(fromDays: dayNumber(ms: ms, offset: offset))
    let year = date.year < 0 ? "-" + pad(-date.year, 4) : pad(date.year, 4)
    return year + "-" + pad(Int64(date.month), 2) + "-" + pad(Int64(date.day), 2)
  }

  /// The proleptic Gregorian date of day number `days` (days since 1970-01-01).
  public static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
    let date = CivilDate.date(fromDays: Int(days))
    return (Int64(date.year), date.month, date.day)
  }

  private static func localSeconds(ms: Int64, offset: Int) -> Int64 {
    floorDivide(ms, 1000) + Int64(offset)
  }

  private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
  }

  private static func pad(_ value: Int64, _ digits: Int) -> String {
    let text = String(value)
    return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
  }
}
