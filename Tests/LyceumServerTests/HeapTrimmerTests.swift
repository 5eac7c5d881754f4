import Testing

@testable import LyceumServer

/// The trimmer runs `malloc_trim` only after enough connections came and went.
@Suite struct HeapTrimmerTests {
  @Test func trimsOnlyAfterTheThresholdOfConnectionEvents() {
    #expect(HeapTrimmer.canTrim)
    let trimmer = HeapTrimmer(threshold: 3)
    #expect(!trimmer.trimIfChurned())
    trimmer.noteConnectionOpenedOrClosed()
    trimmer.noteConnectionOpenedOrClosed()
    #expect(!trimmer.trimIfChurned())
    trimmer.noteConnectionOpenedOrClosed()
    #expect(trimmer.trimIfChurned())
    // Counted again from the last trim.
    #expect(!trimmer.trimIfChurned())
    for _ in 0..<3 { trimmer.noteConnectionOpenedOrClosed() }
    #expect(trimmer.trimIfChurned())
  }
}
