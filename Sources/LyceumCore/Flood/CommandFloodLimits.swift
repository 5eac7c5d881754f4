/// Per-connection command flood control ("fakelag", as in InspIRCd and ergo): a burst of
/// commands runs at once, then commands wait in the connection's queue and run at a steady rate;
/// a connection whose queue grows past `queueLimit` is disconnected with `Excess flood`.
///
/// Catch-up commands (`historyCommands`, by name) take from a bucket of their own, so that a
/// client fetching history after a reconnect is not slowed by, nor slows, its chat commands.
/// `PONG` and `QUIT` run at once and are never counted; `PING` is never counted but waits its
/// turn behind queued commands so that replies keep their order.
public struct CommandFloodLimits: Sendable, Equatable {
  /// The bucket every other command takes from.
  public var commands = BucketLimits(burst: 20, ratePerSecond: 4)
  /// The bucket of `historyCommands`.
  public var history = BucketLimits(burst: 50, ratePerSecond: 10)
  /// Commands that may wait in the queue; one more disconnects.
  public var queueLimit = 100
  /// Upper-case command names that take from the `history` bucket.
  public var historyCommands: Set<String> = ["CHATHISTORY", "MARKREAD", "SEARCH"]
  /// IRC operators (user mode `+o`) are not limited.
  public var exemptOperators = true
  /// Clients logged in to a `bot` account are not limited.
  public var exemptBots = true

  /// The defaults of the configuration file.
  public init() {}

  /// Which bucket `command` (upper case) takes a token from.
  func cost(of command: String) -> CommandCost {
    switch command {
    case "PING", "PONG", "QUIT": .free
    case _ where historyCommands.contains(command): .history
    default: .command
    }
  }
}

/// What running one command costs.
enum CommandCost: Equatable, Sendable {
  /// Nothing (though it may wait behind queued commands).
  case free
  /// A token of the `commands` bucket.
  case command
  /// A token of the `history` bucket.
  case history
}
