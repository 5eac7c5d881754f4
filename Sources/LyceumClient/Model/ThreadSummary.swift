/// What the room view shows under a thread's root: how many replies, and when the last came.
public struct ThreadSummary: Equatable, Sendable {
  /// The root message's msgid.
  public var root: String
  public var replyCount: Int
  /// Time of the newest reply (milliseconds since the epoch).
  public var lastActivity: Int64
  /// The root's sender and text, when known (the `THREADS` listing carries them).
  public var rootSender: String
  public var rootText: String
  /// Who took part, as the server lists them.
  public var participants: [String]

  public init(
    root: String, replyCount: Int, lastActivity: Int64, rootSender: String = "",
    rootText: String = "", participants: [String] = []
  ) {
    self.root = root
    self.replyCount = replyCount
    self.lastActivity = lastActivity
    self.rootSender = rootSender
    self.rootText = rootText
    self.participants = participants
  }
}
