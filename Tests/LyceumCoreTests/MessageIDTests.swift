import Testing

@testable import LyceumCore

/// msgids sort by creation, also across a restart whose wall clock is behind the last run's.
@Suite struct MessageIDTests {
  @Test func idsIncreaseWithinOneMillisecondAndWhenTheClockStepsBack() {
    var generator = MessageIDGenerator()
    let first = generator.next(wallClockMilliseconds: 2000)
    let second = generator.next(wallClockMilliseconds: 2000)
    let third = generator.next(wallClockMilliseconds: 1000)
    #expect(first < second && second < third)
  }

  @Test func aNewRunContinuesAfterTheNewestKeptID() {
    var earlier = MessageIDGenerator()
    let kept = earlier.next(wallClockMilliseconds: 5_000_000)
    var restarted = MessageIDGenerator()
    restarted.continueAfter(kept)
    #expect(restarted.next(wallClockMilliseconds: 4_000_000) > kept)
    var untouched = MessageIDGenerator()
    untouched.continueAfter("not-a-msgid")
    #expect(untouched.next(wallClockMilliseconds: 4_000_000) < kept)
  }
}
