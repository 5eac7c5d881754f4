import LyceumCore

/// Per-connection command flood control (the file's `flood:`): a burst of commands runs at
/// once, then commands wait and run at a steady rate; a connection with more than
/// `commandQueue` commands waiting is disconnected with `Excess flood`. `CHATHISTORY` and
/// `MARKREAD` have an allowance of their own, so that clients catching up are not slowed.
public struct FloodConfiguration: Sendable, Equatable {
  /// Commands that run back to back before the rate applies (registration included).
  public var commandBurst = 20
  /// Commands per second after the burst; fractions allowed.
  public var commandRate = 4.0
  /// Commands that may wait for their turn; one more disconnects.
  public var commandQueue = 100
  /// The burst of `CHATHISTORY` and `MARKREAD`.
  public var historyBurst = 50
  /// `CHATHISTORY` and `MARKREAD` per second after their burst.
  public var historyRate = 10.0
  /// IRC operators are not limited.
  public var exemptOperators = true
  /// Clients logged in to an account with the `bot` role are not limited.
  public var exemptBots = true

  /// The defaults.
  public init() {}

  /// The limits as the protocol core takes them.
  var coreLimits: CommandFloodLimits {
    var limits = CommandFloodLimits()
    limits.commands = BucketLimits(burst: commandBurst, ratePerSecond: commandRate)
    limits.history = BucketLimits(burst: historyBurst, ratePerSecond: historyRate)
    limits.queueLimit = commandQueue
    limits.exemptOperators = exemptOperators
    limits.exemptBots = exemptBots
    return limits
  }
}

extension FloodConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case commandBurst = "command-burst"
    case commandRate = "command-rate"
    case commandQueue = "command-queue"
    case historyBurst = "history-burst"
    case historyRate = "history-rate"
    case exemptOperators = "exempt-operators"
    case exemptBots = "exempt-bots"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    let count = "a whole number"
    let rate = "a number per second, such as 4 or 0.5"
    let flag = "true or false"
    commandBurst = try file.optional(Int.self, .commandBurst, expecting: count) ?? commandBurst
    commandRate = try file.optional(Double.self, .commandRate, expecting: rate) ?? commandRate
    commandQueue = try file.optional(Int.self, .commandQueue, expecting: count) ?? commandQueue
    historyBurst = try file.optional(Int.self, .historyBurst, expecting: count) ?? historyBurst
    historyRate = try file.optional(Double.self, .historyRate, expecting: rate) ?? historyRate
    exemptOperators =
      try file.optional(Bool.self, .exemptOperators, expecting: flag) ?? exemptOperators
    exemptBots = try file.optional(Bool.self, .exemptBots, expecting: flag) ?? exemptBots
  }

  func validate() throws {
    for (key, value) in [("command-burst", commandBurst), ("history-burst", historyBurst)]
    where value < 1 {
      throw ConfigurationError.invalidValue(
        key: "flood.\(key)", value: String(value), reason: "expected a number of at least 1")
    }
    guard commandQueue >= 0 else {
      throw ConfigurationError.invalidValue(
        key: "flood.command-queue", value: String(commandQueue), reason: "must not be negative")
    }
    for (key, value) in [("command-rate", commandRate), ("history-rate", historyRate)]
    where !(value > 0 && value <= 1_000_000) {
      throw ConfigurationError.invalidValue(
        key: "flood.\(key)", value: String(value),
        reason: "expected commands per second, more than 0")
    }
  }
}
