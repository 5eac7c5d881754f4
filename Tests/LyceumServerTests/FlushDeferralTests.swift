import Testing

@testable import LyceumServer

/// The hub's rule for letting a block's output wait for the input queued behind it.
@Suite struct FlushDeferralTests {
  @Test func aBlockWithNothingQueuedBehindItFlushes() {
    var deferral = FlushDeferral()
    let defers = deferral.defers(inputQueued: false, now: 0)
    #expect(!defers)
    #expect(deferral.deferredBlocks == 0)
  }

  @Test func blocksWaitWhileInputIsQueuedAndTheLastOneFlushes() {
    var deferral = FlushDeferral()
    var decisions: [Bool] = []
    for step in 0..<10 { decisions.append(deferral.defers(inputQueued: true, now: UInt64(step))) }
    decisions.append(deferral.defers(inputQueued: false, now: 10))
    #expect(decisions == Array(repeating: true, count: 10) + [false])
  }

  @Test func noMoreThanTheMaximumNumberOfBlocksWait() {
    var deferral = FlushDeferral()
    var waited = 0
    while deferral.defers(inputQueued: true, now: 0) { waited += 1 }
    #expect(waited == FlushDeferral.maximumBlocks - 1)
    deferral.flushed()
    let afterFlush = deferral.defers(inputQueued: true, now: 0)
    #expect(afterFlush)
  }

  @Test func outputWaitsNoLongerThanTheMaximumDelay() {
    var deferral = FlushDeferral()
    let start: UInt64 = 5_000_000
    let decisions = [
      deferral.defers(inputQueued: true, now: start),
      deferral.defers(inputQueued: true, now: start + FlushDeferral.maximumDelay - 1),
      deferral.defers(inputQueued: true, now: start + FlushDeferral.maximumDelay),
    ]
    #expect(decisions == [true, true, false])
    deferral.flushed()
    let afterFlush = deferral.defers(inputQueued: true, now: 9_000_000)
    #expect(afterFlush)
  }
}
