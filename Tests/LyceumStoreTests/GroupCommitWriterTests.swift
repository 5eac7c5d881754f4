import Dispatch
import LyceumCore
import Synchronization
import Testing

@testable import LyceumStore

/// A `HistoryStore` that records the size of every `append` and can hold the first one until
/// released, so that submissions made during a write are observable.
final class RecordingHistoryStore: HistoryStore {
  let batches = Mutex<[[HistoryEntry]]>([])
  /// Signalled when the first `append` has begun.
  let firstAppendStarted = DispatchSemaphore(value: 0)
  /// Waited for by the first `append` when `holdFirstAppend` is set.
  let releaseFirstAppend = DispatchSemaphore(value: 0)
  let holdFirstAppend: Bool
  let failing: Bool

  init(holdFirstAppend: Bool = false, failing: Bool = false) {
    self.holdFirstAppend = holdFirstAppend
    self.failing = failing
  }

  struct Failure: Error {}

  func append(_ entries: [HistoryEntry]) throws {
    let isFirst = batches.withLock { batches in
      batches.append(entries)
      return batches.count == 1
    }
    if isFirst {
      firstAppendStarted.signal()
      if holdFirstAppend { releaseFirstAppend.wait() }
    }
    if failing { throw Failure() }
  }

  func entries(_ query: HistoryQuery) throws -> [HistoryEntry] { [] }

  func activeTargets(among candidates: [HistoryTarget], from: Int64, to: Int64, limit: Int)
    throws -> [(target: HistoryTarget, lastMilliseconds: Int64)]
  { [] }

  func deleteEntries(olderThan cutoff: Int64) throws -> Int { 0 }

  var batchSizes: [Int] { batches.withLock { $0.map(\.count) } }
}

@Suite struct GroupCommitWriterTests {
  func wait(_ group: DispatchGroup) -> Bool {
    group.wait(timeout: .now() + .seconds(30)) == .success
  }

  @Test func submissionsMadeDuringAWriteGoTogetherIntoTheNextAppend() throws {
    let store = RecordingHistoryStore(holdFirstAppend: true)
    let writer = GroupCommitWriter(store: store, onError: { _ in Issue.record("no error") })
    let done = DispatchGroup()
    let order = Mutex<[Int]>([])
    done.enter()
    writer.submit([HistorySample.entry(1)]) {
      order.withLock { $0.append(0) }
      done.leave()
    }
    #expect(store.firstAppendStarted.wait(timeout: .now() + .seconds(30)) == .success)
    // While the first append is held: five submissions of two entries each, one after another.
    for index in 1...5 {
      done.enter()
      writer.submit([HistorySample.entry(2 * index), HistorySample.entry(2 * index + 1)]) {
        order.withLock { $0.append(index) }
        done.leave()
      }
    }
    #expect(store.batchSizes == [1])
    store.releaseFirstAppend.signal()
    #expect(wait(done))
    #expect(store.batchSizes == [1, 10])
    #expect(order.withLock { $0 } == [0, 1, 2, 3, 4, 5])
    #expect(store.batches.withLock { HistorySample.numbers($0[1]) } == Array(2...11))
  }

  @Test func concurrentSubmittersDuringAWriteAreOneGroup() throws {
    let store = RecordingHistoryStore(holdFirstAppend: true)
    let writer = GroupCommitWriter(store: store, onError: { _ in Issue.record("no error") })
    let done = DispatchGroup()
    done.enter()
    writer.submit([HistorySample.entry(0)]) { done.leave() }
    #expect(store.firstAppendStarted.wait(timeout: .now() + .seconds(30)) == .success)
    let calls = Mutex([Int](repeating: 0, count: 64))
    DispatchQueue.concurrentPerform(iterations: 64) { index in
      done.enter()
      writer.submit([HistorySample.entry(index + 1)]) {
        calls.withLock { $0[index] += 1 }
        done.leave()
      }
    }
    store.releaseFirstAppend.signal()
    #expect(wait(done))
    #expect(store.batchSizes == [1, 64])
    #expect(calls.withLock { $0 } == [Int](repeating: 1, count: 64))
  }

  @Test(arguments: StoreKind.persistent)
  func manyConcurrentSubmittersIntoAStoreEachCompletedOnce(kind: StoreKind) throws {
    try kind.withServerHistoryStore { store in
      let writer = GroupCommitWriter(store: store, onError: { _ in Issue.record("no error") })
      let (threads, each) = (8, 100)
      let calls = Mutex([Int](repeating: 0, count: threads * each))
      let done = DispatchGroup()
      DispatchQueue.concurrentPerform(iterations: threads) { thread in
        for step in 0..<each {
          let index = thread * each + step
          let entry = HistoryEntry(
            msgid: "t\(thread)-\(step)", timeMilliseconds: Int64(index),
            target: .channel("#t\(thread)"), command: "PRIVMSG", source: "s", account: nil,
            params: ["#t\(thread)", "\(step)"])
          done.enter()
          writer.submit([entry]) {
            calls.withLock { $0[index] += 1 }
            done.leave()
          }
        }
      }
      #expect(wait(done))
      #expect(calls.withLock { $0 } == [Int](repeating: 1, count: threads * each))
      for thread in 0..<threads {
        let kept = try store.entries(
          HistoryQuery(
            target: .channel("#t\(thread)"), selector: .latest(after: nil), limit: 1000,
            messagesOnly: false))
        // One submitter's entries are kept in the order it submitted them.
        #expect(kept.map(\.msgid) == (0..<each).map { "t\(thread)-\($0)" })
      }
    }
  }

  @Test func aGroupTakesWholeSubmissionsUpToTheCap() throws {
    let store = RecordingHistoryStore(holdFirstAppend: true)
    let writer = GroupCommitWriter(
      store: store, maxGroupEntries: 5, onError: { _ in Issue.record("no error") })
    let done = DispatchGroup()
    done.enter()
    writer.submit([HistorySample.entry(0)]) { done.leave() }
    #expect(store.firstAppendStarted.wait(timeout: .now() + .seconds(30)) == .success)
    for index in 0..<5 {
      done.enter()
      writer.submit([HistorySample.entry(2 * index + 1), HistorySample.entry(2 * index + 2)]) {
        done.leave()
      }
    }
    done.enter()
    writer.submit((20..<27).map { HistorySample.entry($0) }) { done.leave() }
    store.releaseFirstAppend.signal()
    #expect(wait(done))
    #expect(store.batchSizes == [1, 4, 4, 2, 7])
    #expect(store.batches.withLock { HistorySample.numbers($0.flatMap(\.self)) }.count == 18)
  }

  @Test func aFailedAppendIsReportedAndItsCompletionsStillRun() throws {
    let store = RecordingHistoryStore(failing: true)
    let errors = Mutex(0)
    let writer = GroupCommitWriter(store: store, onError: { _ in errors.withLock { $0 += 1 } })
    let done = DispatchGroup()
    done.enter()
    writer.submit([HistorySample.entry(1)]) { done.leave() }
    #expect(wait(done))
    #expect(errors.withLock { $0 } == 1)
    // The writer goes on after a failure.
    done.enter()
    writer.submit([HistorySample.entry(2)]) { done.leave() }
    #expect(wait(done))
    #expect(store.batchSizes == [1, 1])
  }
}
