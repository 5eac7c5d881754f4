import LyceumProtocol

/// One connection's flood-control state: its two token buckets and the commands waiting for
/// tokens, in arrival order. Touched only on the core's queue.
struct CommandBudget {
  private var commands: TokenBucket?
  private var history: TokenBucket?
  /// Commands waiting to run, oldest first, with what each costs.
  private(set) var queue: [(message: IRCMessage, cost: CommandCost)] = []

  /// Takes what running a command of `cost` needs; false when the bucket is empty.
  mutating func take(_ cost: CommandCost, _ limits: CommandFloodLimits, now: Duration) -> Bool {
    switch cost {
    case .free:
      return true
    case .command:
      var bucket = commands ?? TokenBucket(limits: limits.commands, now: now)
      defer { commands = bucket }
      return bucket.take(limits.commands, now: now)
    case .history:
      var bucket = history ?? TokenBucket(limits: limits.history, now: now)
      defer { history = bucket }
      return bucket.take(limits.history, now: now)
    }
  }

  /// When the oldest queued command can run; nil when nothing waits.
  func nextRunAt(_ limits: CommandFloodLimits) -> Duration? {
    guard let head = queue.first else { return nil }
    switch head.cost {
    case .free: return .zero
    case .command: return commands?.nextTokenAt(limits.commands) ?? .zero
    case .history: return history?.nextTokenAt(limits.history) ?? .zero
    }
  }

  mutating func enqueue(_ message: IRCMessage, cost: CommandCost) {
    queue.append((message, cost))
  }

  /// Removes and returns the oldest queued command.
  mutating func dequeue() -> IRCMessage? {
    queue.isEmpty ? nil : queue.removeFirst().message
  }

  /// Drops every queued command (the connection is quitting).
  mutating func discardQueue() { queue.removeAll() }
}
