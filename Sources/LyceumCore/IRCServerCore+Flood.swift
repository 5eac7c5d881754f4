import LyceumProtocol

/// Per-connection command flood control: token buckets, the queue of commands waiting for a
/// token, and the disconnect when that queue grows too long. See `CommandFloodLimits`.
extension IRCServerCore {
  /// The earliest monotonic time at which a queued command can run; nil when nothing waits.
  /// The server arranges to call `tick()` (or `drainFloodQueues()`) then.
  public var nextFloodDeadline: Duration? {
    guard let limits = configuration.commandFlood else {
      return floodQueued.isEmpty ? nil : .zero
    }
    return floodQueued.lazy.compactMap { self.sessions[$0]?.budget.nextRunAt(limits) }.min()
  }

  /// Runs the queued commands whose tokens have refilled, in each connection's order.
  public func drainFloodQueues() {
    for id in Array(floodQueued) {
      guard let session = sessions[id] else {
        floodQueued.remove(id)
        continue
      }
      drainQueue(of: session)
    }
  }

  /// Lets `message` run now, queues it, or disconnects its connection for flooding.
  func admit(_ message: IRCMessage, _ session: Session) {
    guard configuration.commandFlood != nil else {
      // Commands left queued when a reload switched flood control off still go first.
      drainQueue(of: session)
      guard sessions[session.id] === session else { return }
      return run(message, session)
    }
    switch message.uppercasedCommand {
    case "PONG":
      // Only refreshes timers, which arrival already did; never worth a wait.
      return run(message, session)
    case "QUIT":
      // Leaves at once; whatever still waited is dropped with the connection.
      session.budget.discardQueue()
      floodQueued.remove(session.id)
      return run(message, session)
    default:
      break
    }
    drainQueue(of: session)
    guard let limits = configuration.commandFlood, sessions[session.id] === session else { return }
    // The lines of an open multiline batch are free: the batch costs its BATCH lines.
    let inBatch =
      session.multiline.map { batch in message.tag("batch").flatMap { $0 } == batch.id } ?? false
    let cost = inBatch ? .free : limits.cost(of: message.uppercasedCommand)
    if session.budget.queue.isEmpty
      && (isFloodExempt(session.client, limits)
        || session.budget.take(cost, limits, now: clock.monotonicNow()))
    {
      return run(message, session)
    }
    session.budget.enqueue(message, cost: cost)
    if session.budget.queue.count > limits.queueLimit {
      disconnect(session.id, reason: "Excess flood")
    } else {
      floodQueued.insert(session.id)
    }
  }

  /// Runs `session`'s queued commands, oldest first, while each can get its token (or the
  /// client has become exempt, by `OPER` for instance).
  private func drainQueue(of session: Session) {
    while sessions[session.id] === session, let limits = configuration.commandFlood,
      let head = session.budget.queue.first
    {
      let now = clock.monotonicNow()
      guard
        isFloodExempt(session.client, limits) || session.budget.take(head.cost, limits, now: now)
      else { return }
      _ = session.budget.dequeue()
      run(head.message, session)
    }
    if configuration.commandFlood == nil {
      // Flood control was switched off by a reload: whatever waited runs now.
      while sessions[session.id] === session, let message = session.budget.dequeue() {
        run(message, session)
      }
    }
    if session.budget.queue.isEmpty { floodQueued.remove(session.id) }
  }

  /// Whether the configuration exempts `client` from flood control.
  func isFloodExempt(_ client: Client, _ limits: CommandFloodLimits) -> Bool {
    (limits.exemptOperators && client.isOperator)
      || (limits.exemptBots && client.account?.role == .bot)
  }
}
