import Synchronization

/// The phases of a load run, set by the main thread, followed by every loop.
enum LoadPhase: Int {
  case registering = 0
  case joining = 1
  case sending = 2
  case draining = 3
  case quitting = 4
}

/// The highest sequence number of one sender seen by its designated receiver.
final class AckSlot: Sendable {
  let sequence = Atomic<Int>(0)
}

/// State shared by the main thread and the loop threads (atomics and one lock for errors).
final class LoadShared: Sendable {
  let phase = Atomic<Int>(LoadPhase.registering.rawValue)
  /// Monotonic ns when sending started (written before `phase` becomes `.sending`).
  let sendStartNs = Atomic<UInt64>(0)
  let registered = Atomic<Int>(0)
  let joined = Atomic<Int>(0)
  let failed = Atomic<Int>(0)
  /// Connections closed after registration (idle: the server dropped them).
  let dropped = Atomic<Int>(0)
  let acks: [AckSlot]
  private let errorLog = Mutex<[String]>([])

  init(senders: Int) {
    acks = (0..<senders).map { _ in AckSlot() }
  }

  var currentPhase: LoadPhase {
    LoadPhase(rawValue: phase.load(ordering: .acquiring)) ?? .quitting
  }

  func set(_ phase: LoadPhase) {
    self.phase.store(phase.rawValue, ordering: .releasing)
  }

  /// Keeps the first 10 error messages.
  func record(_ error: String) {
    errorLog.withLock { if $0.count < 10 { $0.append(error) } }
  }

  var errors: [String] { errorLog.withLock { $0 } }
}

/// Counters one loop publishes once per iteration for the main thread.
final class LoopStats: Sendable {
  let delivered = Atomic<Int>(0)
  let sent = Atomic<Int>(0)
}
