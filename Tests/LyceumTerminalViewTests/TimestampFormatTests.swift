import LyceumTerminalView
import Testing

@Suite struct TimestampFormatTests {
  @Test func epoch() {
    #expect(TimestampFormat.hourMinute(ms: 0, offset: 0) == "00:00")
    #expect(TimestampFormat.dayLabel(ms: 0, offset: 0) == "1970-01-01")
    #expect(TimestampFormat.dayNumber(ms: 0, offset: 0) == 0)
  }

  @Test func knownInstant() {
    // 2024-02-29T13:45:30.999Z, a leap day.
    let ms: Int64 = 1_709_214_330_999
    #expect(TimestampFormat.hourMinute(ms: ms, offset: 0) == "13:45")
    #expect(TimestampFormat.dayLabel(ms: ms, offset: 0) == "2024-02-29")
    // Madrid in winter (+1 h) and New York (-5 h).
    #expect(TimestampFormat.hourMinute(ms: ms, offset: 3600) == "14:45")
    #expect(TimestampFormat.hourMinute(ms: ms, offset: -5 * 3600) == "08:45")
  }

  @Test func offsetsCrossDays() {
    // 2023-12-31T23:30:00Z
    let ms: Int64 = 1_704_065_400_000
    #expect(TimestampFormat.dayLabel(ms: ms, offset: 0) == "2023-12-31")
    #expect(TimestampFormat.dayLabel(ms: ms, offset: 3600) == "2024-01-01")
    #expect(TimestampFormat.hourMinute(ms: ms, offset: 3600) == "00:30")
    #expect(TimestampFormat.dayLabel(ms: ms, offset: 9 * 3600 + 1800) == "2024-01-01")
    #expect(
      TimestampFormat.dayNumber(ms: ms, offset: 0) + 1
        == TimestampFormat.dayNumber(ms: ms, offset: 3600))
  }

  @Test func beforeTheEpoch() {
    #expect(TimestampFormat.hourMinute(ms: -1, offset: 0) == "23:59")
    #expect(TimestampFormat.dayLabel(ms: -1, offset: 0) == "1969-12-31")
    #expect(TimestampFormat.dayNumber(ms: -1, offset: 0) == -1)
    #expect(TimestampFormat.dayLabel(ms: 0, offset: -1) == "1969-12-31")
  }

  @Test func sameDayComparison() {
    let evening: Int64 = 1_700_000_000_000  // 2023-11-14T22:13:20Z
    let later = evening + 2 * 60 * 60 * 1000  // 00:13 the next day, UTC
    #expect(
      TimestampFormat.dayNumber(ms: evening, offset: 0)
        != TimestampFormat.dayNumber(ms: later, offset: 0))
    #expect(
      TimestampFormat.dayNumber(ms: evening, offset: -3600)
        == TimestampFormat.dayNumber(ms: later, offset: -3600))
  }

  @Test func civilDates() {
    #expect(TimestampFormat.civilDate(fromDays: 0) == (1970, 1, 1))
    #expect(TimestampFormat.civilDate(fromDays: 59) == (1970, 3, 1))
    #expect(TimestampFormat.civilDate(fromDays: 11_016) == (2000, 2, 29))
    #expect(TimestampFormat.civilDate(fromDays: -719_468) == (0, 3, 1))
    #expect(TimestampFormat.civilDate(fromDays: 2_932_896) == (9999, 12, 31))
  }

  @Test func everyDayOfAFourHundredYearCycleIsConsecutive() {
    var previous = TimestampFormat.civilDate(fromDays: -1)
    var wrong: [Int64] = []
    for day in Int64(0)..<146_097 {
      let date = TimestampFormat.civilDate(fromDays: day)
      let consecutive =
        date.month == previous.month && date.year == previous.year
        ? date.day == previous.day + 1
        : date.day == 1 && previous.day >= 28
      if !consecutive { wrong.append(day) }
      previous = date
    }
    #expect(wrong.isEmpty)
    #expect(previous == (2369, 12, 31))
  }

  @Test func paddingAndLargeOffsets() {
    #expect(TimestampFormat.hourMinute(ms: 65_000, offset: 0) == "00:01")
    #expect(TimestampFormat.hourMinute(ms: 0, offset: 14 * 3600) == "14:00")
    #expect(TimestampFormat.hourMinute(ms: 0, offset: -12 * 3600) == "12:00")
    #expect(TimestampFormat.dayLabel(ms: -62_135_596_800_000, offset: 0) == "0001-01-01")
  }
}
