/// Kept history: whether it is on, how long it is kept, and how much is replayed.
public struct HistoryConfiguration: Sendable, Equatable {
  /// Whether channel messages, events and direct messages between accounts are kept (stored
  /// before they are delivered) and offered through `CHATHISTORY`.
  public var enabled = true
  /// How long entries are kept; `nil` (the default) keeps them forever.
  public var retention: Duration?
  /// Lines of a channel's history replayed on JOIN to clients without `draft/chathistory`.
  public var replayOnJoin = 50
  /// Direct messages kept for one account while it is offline, from everyone together, until
  /// it next connects; past it, further ones are refused (a stranger cannot fill its history).
  public var offlineMessages = 200
  /// The most entries one `CHATHISTORY` request returns (`CHATHISTORY=` in ISUPPORT).
  public var maxMessages = 100
  /// Whether each commit waits for the disk (`synchronous=FULL`): survives a power loss, not
  /// only a crash of the server, at the cost of an fsync per group commit. On by default:
  /// group commit keeps that cost small (see HISTORY.md, "Measured figures").
  public var durableAgainstPowerLoss = true

  /// The defaults.
  public init() {}
}

extension HistoryConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case enabled, retention
    case replayOnJoin = "replay-on-join"
    case maxMessages = "max-messages"
    case offlineMessages = "offline-messages"
    case durableAgainstPowerLoss = "durable-against-power-loss"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    enabled = try file.optional(Bool.self, .enabled, expecting: "true or false") ?? enabled
    if let keep = try file.duration(.retention) { retention = keep == .zero ? nil : keep }
    replayOnJoin =
      try file.optional(Int.self, .replayOnJoin, expecting: "a number of lines") ?? replayOnJoin
    maxMessages =
      try file.optional(Int.self, .maxMessages, expecting: "a number of messages") ?? maxMessages
    offlineMessages =
      try file.optional(Int.self, .offlineMessages, expecting: "a number of messages")
      ?? offlineMessages
    durableAgainstPowerLoss =
      try file.optional(Bool.self, .durableAgainstPowerLoss, expecting: "true or false")
      ?? durableAgainstPowerLoss
  }
}
