/// Sizes and counts the server enforces, most of them advertised in `RPL_ISUPPORT`.
///
/// Lengths are in bytes of UTF-8. Defaults follow common practice of current IRC servers.
public struct LimitsConfiguration: Sendable, Equatable {
  /// `NICKLEN`.
  public var nickLength = 30
  /// `CHANNELLEN`, including the leading `#`.
  public var channelLength = 64
  /// `TOPICLEN`.
  public var topicLength = 390
  /// `AWAYLEN`.
  public var awayLength = 390
  /// `KICKLEN`.
  public var kickLength = 390
  /// `USERLEN`: the longest user name (ident) kept from `USER`.
  public var userLength = 18
  /// The longest real name kept from `USER`.
  public var realnameLength = 150
  /// `CHANLIMIT`: channels one client may be in.
  public var channelsPerClient = 50
  /// `TARGMAX`: targets one `PRIVMSG`/`NOTICE`/`JOIN` … may name.
  public var targetsPerCommand = 4
  /// `MAXLIST`: entries per channel list (bans, ban exceptions, invite exceptions).
  public var listEntries = 100
  /// `MONITOR`: nicks one client may watch.
  public var monitorEntries = 100
  /// Entries kept for `WHOWAS`.
  public var whowasEntries = 1000
  /// Bytes buffered from one client before its line ends; at least 8703 (8191 bytes of tags
  /// plus a 512-byte message), since a valid line must fit.
  public var readQueueBytes = 16384
  /// Bytes queued to one client before it is disconnected as too slow.
  public var sendQueueBytes = 1_048_576
  /// Connections the server accepts at once.
  public var maxClients = 10000
  /// Registered rooms one account may own (operators and `admin` accounts: no limit).
  public var roomsPerAccount = 20
  /// Registered rooms on the server in all.
  public var registeredRooms = 10_000

  /// The defaults.
  public init() {}

  /// The longest line the protocol allows: 8191 bytes of tags and 512 of message.
  public static let minimumQueueBytes = 8191 + 512
}
