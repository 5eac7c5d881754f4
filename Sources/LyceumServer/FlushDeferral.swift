/// When the hub lets a block's output wait for the input queued behind it, so that one flush
/// carries both: only while other connections' input is already queued, for at most
/// `maximumBlocks` blocks or `maximumDelay` nanoseconds, and never past the last block of a
/// run, so that nothing waits for input that may never come and a lone line goes out at once.
///
/// Why: each flush is a commit of the history writer, and each commit's release is a write to
/// every member who is shown its lines. Twenty senders posting at the same moment to a room of
/// a thousand (a class's announcements; `lyceum-bench fanout --senders 20 --rate 100`) took
/// about two commits, so about two writes to each member, where one could carry all twenty
/// lines; and at light load the kernel's part of a write is most of the server's CPU. The
/// loops write when idle for the same reason (see `IOLoop`). Measured (BENCHMARKS.md): 2.1
/// writes per member per burst before, 1.8 after; the rest of a burst's lines reach the server
/// too late for the first flush.
struct FlushDeferral {
  static let maximumBlocks = 64
  static let maximumDelay: UInt64 = 2_000_000

  /// Blocks whose output waits, and when the first of them ran.
  private(set) var deferredBlocks = 0
  private var firstDeferredAt: UInt64 = 0

  /// Whether the block that just ran may leave its output for a later flush: `inputQueued` says
  /// whether another block of input is queued behind it; `now` is a monotonic time in
  /// nanoseconds.
  mutating func defers(inputQueued: Bool, now: UInt64) -> Bool {
    guard inputQueued else { return false }
    if deferredBlocks == 0 { firstDeferredAt = now }
    deferredBlocks += 1
    return deferredBlocks < Self.maximumBlocks && now &- firstDeferredAt < Self.maximumDelay
  }

  /// The hub flushed: whatever waited went out.
  mutating func flushed() {
    deferredBlocks = 0
  }
}
