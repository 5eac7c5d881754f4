import Dispatch
import Foundation
import Synchronization

/// Runs jobs on a few threads at once (one per processor by default), fairly between keys: the
/// next job taken is the oldest of the key served longest ago, and one key never has two jobs
/// running. Account requests use it keyed by client address, so that a storm of wrong
/// passwords from many connections queues behind itself while a login from anywhere else is
/// hashed at its turn (a password check is an scrypt run, about 0.1 s of one core), and one
/// connection's requests still run one at a time, in order.
final class FairWorkPool: Sendable {
  private struct State {
    /// Jobs not started yet, by key, oldest first.
    var pending: [String: [@Sendable () -> Void]] = [:]
    /// Keys with pending jobs and none running, in the order they get their next turn.
    var ready: [String] = []
    var running: Set<String> = []
    var idleWorkers: Int
  }

  private let state: Mutex<State>
  private let workQueue: DispatchQueue

  init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, label: String) {
    state = Mutex(State(idleWorkers: max(1, workers)))
    workQueue = DispatchQueue(label: label, attributes: .concurrent)
  }

  /// Runs `job` after the jobs already queued for `key`, at `key`'s turn.
  func submit(key: String, _ job: @escaping @Sendable () -> Void) {
    let started = state.withLock { state -> [(String, @Sendable () -> Void)] in
      state.pending[key, default: []].append(job)
      if !state.running.contains(key) && !state.ready.contains(key) { state.ready.append(key) }
      return Self.take(&state)
    }
    start(started)
  }

  /// Jobs queued or running (for tests and a log line).
  var backlog: Int {
    state.withLock { $0.pending.values.reduce(0) { $0 + $1.count } + $0.running.count }
  }

  private func start(_ jobs: [(String, @Sendable () -> Void)]) {
    for (key, job) in jobs {
      workQueue.async { [self] in
        job()
        let next = state.withLock { state -> [(String, @Sendable () -> Void)] in
          state.running.remove(key)
          state.idleWorkers += 1
          if state.pending[key]?.isEmpty == false {
            state.ready.append(key)
          } else {
            state.pending[key] = nil
          }
          return Self.take(&state)
        }
        start(next)
      }
    }
  }

  /// Hands out jobs while workers are idle: the first ready key's oldest job each.
  private static func take(_ state: inout State) -> [(String, @Sendable () -> Void)] {
    var taken: [(String, @Sendable () -> Void)] = []
    while state.idleWorkers > 0, !state.ready.isEmpty {
      let key = state.ready.removeFirst()
      guard var queue = state.pending[key], !queue.isEmpty else { continue }
      let job = queue.removeFirst()
      state.pending[key] = queue
      state.running.insert(key)
      state.idleWorkers -= 1
      taken.append((key, job))
    }
    return taken
  }
}
