import Dispatch
import Synchronization
import Testing

@testable import LyceumServer

/// The account pool: many jobs from some addresses do not make another address wait for all
/// of them, and one address's jobs run one at a time, in order.
@Suite struct FairWorkPoolTests {
  /// Records the order jobs ran in; each job blocks until the test releases it, so the order
  /// is decided by the pool, not by timing.
  final class Recorder: Sendable {
    let order = Mutex<[String]>([])
    let running = Mutex<[String: Int]>([:])
    let overlap = Mutex(false)

    func job(_ key: String, _ name: String, gate: DispatchSemaphore, done: DispatchGroup)
      -> @Sendable () -> Void
    {
      done.enter()
      return { [self] in
        let concurrent = running.withLock { running -> Int in
          running[key, default: 0] += 1
          return running[key]!
        }
        if concurrent > 1 { overlap.withLock { $0 = true } }
        order.withLock { $0.append(name) }
        gate.wait()
        running.withLock { $0[key, default: 0] -= 1 }
        done.leave()
      }
    }
  }

  @Test func aNewAddressIsServedAtItsTurnNotAfterTheStorm() {
    let pool = FairWorkPool(workers: 1, label: "test.pool")
    let recorder = Recorder()
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    // 20 slow requests from each of three addresses arrive first, then one from a fourth.
    for index in 0..<20 {
      for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        pool.submit(key: ip, recorder.job(ip, "\(ip)#\(index)", gate: gate, done: done))
      }
    }
    pool.submit(key: "192.0.2.7", recorder.job("192.0.2.7", "good", gate: gate, done: done))
    for _ in 0..<61 { gate.signal() }
    #expect(done.wait(timeout: .now() + 10) == .success)
    let order = recorder.order.withLock { $0 }
    let position = order.firstIndex(of: "good")
    // One job of each storming address at most before it: fourth or fifth, not 61st.
    #expect(position != nil && position! <= 4, "ran at \(position ?? -1): \(order.prefix(8))")
    // Each address's own jobs kept their order.
    let first = order.filter { $0.hasPrefix("10.0.0.1#") }
    #expect(first == (0..<20).map { "10.0.0.1#\($0)" })
  }

  @Test func oneKeyNeverRunsTwoJobsAtOnceEvenWithIdleWorkers() {
    let pool = FairWorkPool(workers: 4, label: "test.pool2")
    let recorder = Recorder()
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<10 {
      pool.submit(key: "same", recorder.job("same", "\(index)", gate: gate, done: done))
    }
    for _ in 0..<10 { gate.signal() }
    #expect(done.wait(timeout: .now() + 10) == .success)
    #expect(recorder.overlap.withLock { $0 } == false)
    #expect(recorder.order.withLock { $0 } == (0..<10).map { "\($0)" })
  }
}
