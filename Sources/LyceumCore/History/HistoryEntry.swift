import LyceumProtocol

/// One kept event: a message, a topic change or a membership change, as stored in history and
/// replayed by `CHATHISTORY`.
///
/// The server keeps channel `PRIVMSG`, `NOTICE` and `TAGMSG` (with client tags), `TOPIC`, and
/// `JOIN`, `PART`, `QUIT`, `KICK`, `MODE`, `NICK`; and direct messages between two accounts.
/// A `QUIT` or `NICK` is kept once in each channel the client was in, under one msgid.
public struct HistoryEntry: Sendable, Equatable {
  /// Unique per target, sortable by time (see `MessageIDGenerator`).
  public var msgid: String
  /// Server time, milliseconds since 1970 (UTC).
  public var timeMilliseconds: Int64
  public var target: HistoryTarget
  /// The command as relayed: `PRIVMSG`, `NOTICE`, `TAGMSG`, `TOPIC`, `JOIN`, …
  public var command: String
  /// `nick!user@host` of the sender.
  public var source: String
  /// The sender's account, if logged in.
  public var account: String?
  /// Client-only tags (`+…`) the message carried, kept for `message-tags` clients.
  public var clientTags: [IRCTag]
  /// The parameters as relayed (the first is the channel or the recipient's nick).
  public var params: [String]
  /// The msgid of the thread root this message replies to (`+reply`, `+draft/reply`).
  public var replyTo: String?
  /// For a multiline message (`draft/multiline`), its lines as sent; `params` then holds the
  /// combined text. Nil for any other entry.
  public var lines: [MultilineLine]?

  public init(
    msgid: String, timeMilliseconds: Int64, target: HistoryTarget, command: String,
    source: String, account: String?, clientTags: [IRCTag] = [], params: [String],
    replyTo: String? = nil, lines: [MultilineLine]? = nil
  ) {
    self.msgid = msgid
    self.timeMilliseconds = timeMilliseconds
    self.target = target
    self.command = command
    self.source = source
    self.account = account
    self.clientTags = clientTags
    self.params = params
    self.replyTo = replyTo
    self.lines = lines
  }

  /// Whether this is replayed only to `draft/event-playback` clients: everything but `PRIVMSG`
  /// and `NOTICE` (the chathistory spec: without event-playback the server MUST NOT send any
  /// other line in a history batch, so `TAGMSG` counts as an event too).
  public var isEvent: Bool {
    command != "PRIVMSG" && command != "NOTICE"
  }
}

/// Where an entry belongs: a channel, or the conversation between two accounts.
public enum HistoryTarget: Sendable, Hashable {
  /// A channel, by folded name.
  case channel(String)
  /// A direct conversation, by the two folded account names in ascending order.
  case direct(String, String)

  /// A direct conversation between two accounts, in canonical order.
  public static func between(_ a: String, _ b: String) -> HistoryTarget {
    a <= b ? .direct(a, b) : .direct(b, a)
  }

  /// The text key stored in the database: `#chan` or `@alice:bob`.
  public var key: String {
    switch self {
    case .channel(let name): name
    case .direct(let a, let b): "@\(a):\(b)"
    }
  }

  public init?(key: String) {
    if key.hasPrefix("@") {
      let parts = key.dropFirst().split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { return nil }
      self = .direct(String(parts[0]), String(parts[1]))
    } else {
      self = .channel(key)
    }
  }
}
