import LyceumProtocol

/// Everything the protocol core needs to know from the server's configuration.
///
/// The server builds this from its file and flags; tests build it directly with short
/// timeouts. Replacing it (REHASH, SIGHUP) never disconnects anyone.
public struct CoreConfiguration: Sendable {
  public var serverName: String = "lyceum.local"
  public var networkName: String = "Lyceum"
  public var version: String = Self.defaultVersion

  /// The version this build reports (`004`, `VERSION`, `lyceumd --version`).
  public static let defaultVersion = "lyceum-0.1.0"
  /// Wall-clock milliseconds when the server started, for `003 RPL_CREATED`.
  public var createdAtMilliseconds: Int64 = 0
  public var motd: [String] = ["Welcome to Lyceum."]
  public var info: [String] = [
    "Lyceum: a chat server for academic collaboration.",
    "IRC and IRCv3 over TLS; Swift, Dispatch and OpenSSL.",
  ]
  /// `ADMIN` lines: location, second location line, contact e-mail.
  public var adminInfo: [String] = []
  /// Required with `PASS` before registration when set.
  public var password: String?
  public var operators: [OperatorCredential] = []
  /// At most this many failed `OPER` attempts per window, counted per IP address and per
  /// operator name given; the attempt that reaches it, and every attempt while it holds, is
  /// answered `464` and the connection closed (see `handleOper`).
  public var operFailureLimit = RateLimit(count: 3, window: .seconds(60))
  public var limits = Limits()
  /// Rooms the server creates and owns (`rooms:`); see `applyConfiguredRooms()`.
  public var rooms: [ConfiguredRoom] = []
  public var timeouts = Timeouts()
  /// The TLS port advertised through `sts` to plaintext clients; nil disables STS.
  public var stsPort: Int?
  /// The `sts` duration advertised to TLS clients, in seconds.
  public var stsDurationSeconds: Int = 0
  public var caseMapping: CaseMapping = .rfc1459
  /// Whether anyone may create an account with `REGISTER`; when false only operators and the
  /// `lyceumd account` subcommand create accounts.
  public var accountRegistrationOpen = true
  /// Whether channel messages, events and direct messages between accounts are kept (the
  /// server then stores them before delivering them).
  public var historyEnabled = false
  /// Per-connection command flood control; nil (the default here, for tests of other things)
  /// runs every command at once. The server always sets it from its `flood:` configuration.
  public var commandFlood: CommandFloodLimits?
  /// At most this many registrations (`001`) per IP address per window; nil for no limit.
  public var registrationThrottle: RateLimit?
  /// IP addresses (as the transport writes them) the registration throttle does not apply to.
  public var throttleExemptIPs: Set<String> = []
  /// IPv6 addresses count for the registration throttle under this prefix (`AddressGroup`).
  public var ipv6PrefixLength = AddressGroup.defaultIPv6PrefixLength

  public init() {}

  /// Size limits, advertised in ISUPPORT where a token exists.
  public struct Limits: Sendable {
    public var nickLength = 30
    public var userLength = 18
    public var realnameLength = 150
    public var channelLength = 64
    public var topicLength = 390
    public var awayLength = 390
    public var kickLength = 390
    public var channelsPerClient = 50
    public var targetsPerCommand = 4
    public var listEntries = 100
    public var whowasEntries = 1000
    public var modesPerCommand = 6
    /// Nicks one client may watch with `MONITOR` (ISUPPORT `MONITOR`); past it, `734`.
    public var monitorEntries = 100
    /// Connections (registered or not) beyond this many get
    /// `ERROR :Closing Link: <host> (Server is full)` and are closed.
    public var maxClients = 10000
    /// The most messages one `CHATHISTORY` command returns (ISUPPORT `CHATHISTORY`); larger
    /// limits are lowered to it. Must be positive: the token's `0` would mean "no maximum".
    public var historyMaxMessages = 100
    /// On `JOIN`, a session without `draft/chathistory` is shown this many of the channel's
    /// last `PRIVMSG`/`NOTICE` lines, marked as history; 0 turns it off. Only with history.
    public var replayOnJoin = 50
    /// Direct messages kept for one offline account (from everyone together) until it next
    /// connects; past it, `FAIL PRIVMSG OFFLINE_LIMIT`. 0: messages to offline accounts are
    /// refused with `401` as to unknown nicks. Only with history.
    public var offlineMessages = 200
    /// On connect, a session without `draft/chathistory` is shown the unread direct messages of
    /// at most this many conversations (those with the newest activity).
    public var catchUpConversations = 20
    /// A catch-up of an `announcements` room after its reader's read marker shows every unread
    /// announcement up to this many (rather than `replayOnJoin`), so that a notice is not
    /// missed by a member away for longer than the replay; past it, the usual line counts the
    /// ones left out.
    public var unreadAnnouncements = 200
    /// The most messages one `SEARCH` returns, and its default `limit`.
    public var searchMaxResults = 100
    /// The most candidate rows one `SEARCH` examines (index hits, or messages when it has no
    /// text) before it answers with what it found and a cursor to continue.
    public var searchScanBudget = 100_000
    /// The longest one `SEARCH` runs in the store before it answers likewise.
    public var searchTimeBudget: Duration = .seconds(2)
    /// The most targets one account (or one client without an account) keeps a read marker
    /// for; `MARKREAD` for a further target is `FAIL MARKREAD INTERNAL_ERROR`.
    public var readMarkersPerAccount = 5000
    /// Registered rooms one account may own (IRC operators and `admin` accounts are not
    /// limited): past it, a channel the account creates is an ordinary one, forgotten when empty.
    public var roomsPerAccount = 20
    /// Registered rooms on the server in all; past it, new channels are ordinary ones.
    public var registeredRooms = 10_000
    /// The most bytes of `322` lines one `LIST` sends (half the send queue): a longer list
    /// stops with a note saying how to narrow it, rather than overflowing the asker's queue
    /// and disconnecting it.
    public var listBytes = 524_288
    /// The longest description of a registered room (`ROOM SET … DESCRIPTION`), in bytes; short
    /// enough that `[kind] description — topic` still fits a `322` line.
    public var roomDescriptionLength = 160
    /// One client may `KNOCK` once per this interval (any channel); sooner is `712 (user)`.
    public var knockIntervalPerUser: Duration = .seconds(60)
    /// A channel is knocked on at most once per this interval (by anyone); sooner is
    /// `712 (channel)`, so its operators are never flooded.
    public var knockIntervalPerChannel: Duration = .seconds(30)
    public init() {}
  }

  /// Connection lifetime limits enforced by `IRCServerCore.tick()`.
  public struct Timeouts: Sendable {
    /// A connection that has not completed registration in this time is dropped.
    public var registration: Duration = .seconds(60)
    /// Idle time after which the server sends `PING`.
    public var pingInterval: Duration = .seconds(90)
    /// Time allowed for any reply after the server's `PING` before the client is dropped.
    public var pingTimeout: Duration = .seconds(60)
    public init() {}
  }
}

/// An IRC operator account from the configuration (`OPER name password`).
public struct OperatorCredential: Sendable, Equatable {
  public var name: String
  public var password: String
  /// `nick!user@host` glob the client must match; `*` for anyone.
  public var hostMask: String

  public init(name: String, password: String, hostMask: String = "*") {
    self.name = name
    self.password = password
    self.hostMask = hostMask
  }
}
