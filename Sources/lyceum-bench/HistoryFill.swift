import Dispatch
import Foundation
import LyceumCore
import LyceumStore

/// The filling of `history-store`: what was written, and the msgids and times of the measured
/// channel for random references.
struct HistoryFill {
  static let target = HistoryTarget.channel("#bench")
  static let otherTargets: [HistoryTarget] = [
    .channel("#lobby"), .channel("#seminar"), .channel("#help"), .channel("#random"),
    .between("alice", "bob"), .between("carol", "dave"),
  ]

  /// Msgids of the `PRIVMSG` entries of `target` (references every query mode can see).
  var messageIDs: [String] = []
  var firstTime: Int64 = 0
  var lastTime: Int64 = 0
  /// Entries submitted, all targets.
  var entries = 0
  var elapsed: Duration = .zero
  var counts = CountingHistoryStore.Counts()
  var errors = 0

  func randomMsgid(_ factory: inout EntryFactory) -> String {
    messageIDs[factory.int(in: 0..<messageIDs.count)]
  }

  /// Submits `rows` entries of `target` (and 5% as many elsewhere) one by one through a
  /// `GroupCommitWriter`, at most `inFlight` uncommitted at once, and waits for the last.
  static func run(
    store: any HistoryStore, rows: Int, inFlight: Int, factory: inout EntryFactory
  ) throws -> HistoryFill {
    let counting = CountingHistoryStore(store)
    let errors = Counter()
    let writer = GroupCommitWriter(store: counting) { error in
      errors.increment()
      printError("lyceum-bench: commit failed: \(error)")
    }
    let window = DispatchSemaphore(value: inFlight)
    var fill = HistoryFill()
    fill.messageIDs.reserveCapacity(rows)
    // About 200 ms apart on average: a million entries span a little over two days, ending now.
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    var time = now - Int64(rows) * 200
    fill.firstTime = time
    let channel = target.key
    let start = ContinuousClock.now
    for _ in 0..<rows {
      time += factory.int64(in: 0...400)
      let entry = factory.channelEntry(channel, at: time, eventShare: 0.02)
      if !entry.isEvent { fill.messageIDs.append(entry.msgid) }
      window.wait()
      writer.submit([entry]) { window.signal() }
      fill.entries += 1
      if factory.int(in: 0..<20) == 0 {
        let other = otherTargets[factory.int(in: 0..<otherTargets.count)]
        let entry = factory.message(to: other, at: time)
        window.wait()
        writer.submit([entry]) { window.signal() }
        fill.entries += 1
      }
    }
    let done = DispatchSemaphore(value: 0)
    writer.submit([]) { done.signal() }
    done.wait()
    fill.elapsed = ContinuousClock.now - start
    fill.lastTime = time
    fill.counts = counting.counts
    fill.errors = errors.value
    return fill
  }
}
