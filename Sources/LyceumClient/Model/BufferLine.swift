/// One line of a buffer as the client shows it: a message, a notice, an event or a status line,
/// with what the screen needs to draw it (time, sender, whether it is ours, a bot's, a mention).
public struct BufferLine: Equatable, Sendable {
  /// What kind of line this is; decides how it is drawn and whether it counts as unread.
  public enum Kind: Equatable, Sendable {
    case message
    case notice
    /// A CTCP `ACTION` (`/me`).
    case action
    case join
    case part
    case quit
    case nick
    case topic
    case mode
    case kick
    /// Something the client says (connection state, a reply to a command).
    case status
    /// A failure the user should see (`FAIL`, an error numeric).
    case error
  }

  /// The server's `msgid`, nil for lines the server did not send as kept messages.
  public var msgid: String?
  /// Milliseconds since the epoch (the `time` tag, or the clock when it had none).
  public var time: Int64
  /// The sender's nick; empty for status lines.
  public var sender: String
  /// The sender's account (`account` tag), when logged in.
  public var account: String?
  public var kind: Kind
  /// The text as received (formatting codes kept; the screen sanitizes).
  public var text: String
  /// The `+reply` tag: the msgid this line answers.
  public var replyTo: String?
  /// The root of the thread this line belongs to (resolved through known parents).
  public var threadRoot: String?
  /// Sent by an account with the `bot` tag.
  public var isBot: Bool
  /// Sent by this client's own nick (or echoed back to it).
  public var isSelf: Bool
  /// Mentions our nick, or is a direct message to us.
  public var isHighlight: Bool
  /// Deleted (`REDACT`): the text is `ChatBuffer.deletedText`.
  public var isRedacted = false

  public init(
    msgid: String? = nil, time: Int64, sender: String = "", account: String? = nil,
    kind: Kind, text: String, replyTo: String? = nil, threadRoot: String? = nil,
    isBot: Bool = false, isSelf: Bool = false, isHighlight: Bool = false
  ) {
    self.msgid = msgid
    self.time = time
    self.sender = sender
    self.account = account
    self.kind = kind
    self.text = text
    self.replyTo = replyTo
    self.threadRoot = threadRoot
    self.isBot = isBot
    self.isSelf = isSelf
    self.isHighlight = isHighlight
  }

  /// Whether a line like this, from someone else and after the read marker, is unread: people
  /// talking count; joins, parts and status lines do not.
  public var countsAsUnread: Bool {
    !isSelf && (kind == .message || kind == .notice || kind == .action)
  }
}
