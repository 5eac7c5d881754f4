import LyceumProtocol

/// The client's protocol state machine, with no I/O: server lines and the user's commands go in;
/// the buffer model changes, and the lines to send and the events a driver waits for come out.
/// The terminal screen, the one-shot subcommands and the tests all drive this same type; the
/// time is passed in with every step, so tests need no clock.
///
/// It speaks CAP 302, SASL (PLAIN, SCRAM-SHA-256, EXTERNAL), `REGISTER`, batches and labels,
/// `draft/chathistory` (latest on join, older pages on demand, gap fill after a reconnect),
/// `draft/read-marker`, `echo-message`, `draft/multiline` (received as one message, sent for a
/// paste), `draft/message-redaction`, reactions (`+draft/react`), `draft/event-playback` for
/// those in history, Lyceum's threads and its room directory.
public struct IRCSession: Sendable {
  /// Capabilities the client asks for when the server offers them.
  public static let wantedCapabilities: [String] = [
    "account-notify", "account-tag", "away-notify", "batch", "draft/chathistory",
    "draft/event-playback", "draft/message-redaction", "draft/multiline", "draft/read-marker",
    "echo-message", "extended-join", "invite-notify",
    "labeled-response",
    "lyceum.chat/threads", "message-tags", "multi-prefix", "sasl", "server-time", "setname",
    "soju.im/search", "standard-replies",
  ]

  public var configuration: SessionConfiguration
  /// Every buffer, and which one is on screen.
  public var buffers = BufferList()
  /// Our nick as the server knows it (it may differ from the configured one after a `433`).
  public internal(set) var nick: String
  /// The account we are logged in to, nil for a guest.
  public internal(set) var account: String?
  /// `001` has arrived on the current connection.
  public internal(set) var isRegistered = false
  /// Capabilities the server acknowledged.
  public internal(set) var enabledCapabilities: Set<String> = []
  /// The server's `CHATHISTORY` ISUPPORT limit (0 until known).
  public internal(set) var historyLimit = 0
  /// Show raw lines in the server buffer (`--debug`).
  public var debug = false
  /// The server's name from `001`'s source.
  public internal(set) var serverName = ""
  /// Role and institution of nicks as `WHOIS` told them (`320`), by casefolded nick.
  public internal(set) var profiles: [String: String] = [:]
  /// The last `LIST` reply, for the room directory.
  public internal(set) var directory: [DirectoryEntry] = []

  // Registration and SASL.
  var offeredCapabilities: [String: String] = [:]
  var capabilityNegotiationDone = false
  var sasl = SASLState.idle
  var awaitingRegistration = false
  // Batches, labels and history requests.
  var openBatches: [String: OpenBatch] = [:]
  var pendingLabels: [String: LabelPurpose] = [:]
  var labelCounter = 0
  var pendingHistory: [String: [HistoryRequest]] = [:]
  var listing: [DirectoryEntry] = []
  /// Channels we were in (or were asked to join): joined again after a reconnect.
  var wantedChannels: [String] = []
  /// A channel the user asked to join: its buffer comes on screen when the join succeeds.
  var pendingFocus: String?
  /// Nicks whose `WHOIS` the client asked for itself (to learn institution and role): their
  /// replies fill `profiles` without being shown.
  var quietLookups: Set<String> = []
  /// Nicks already looked up on this connection (each at most once).
  var lookedUp: Set<String> = []
  /// The account each nick is logged in to, by casefolded nick, as last seen.
  var accountOfNick: [String: String] = [:]
  /// The nick last seen for each account, by casefolded account.
  var nickOfAccount: [String: String] = [:]
  /// The last `THREADS` listing per room, so that `/thread N` can name a thread by number.
  public internal(set) var threadListings: [BufferKey: [ThreadSummary]] = [:]
  /// The results of the last `/search` (and its further pages), newest first.
  public internal(set) var searchHits: [SearchHit] = []
  /// The attributes of the last `/search`, for `/search more`.
  var lastSearch: [(String, String)]?
  /// The cursor of the next page of the last search, when the server said there is one.
  var searchCursor: String?
  /// Whether the answer on its way is a further page (added to the results, not replacing).
  var appendingSearch = false
  /// A `/goto` paging back to its result.
  var pendingJump: PendingJump?
  /// A message the screen should scroll to (a `/goto` result, once loaded); taken by the screen.
  var focus: MessageFocus?

  public init(configuration: SessionConfiguration) {
    self.configuration = configuration
    nick = configuration.nick
    wantedChannels = configuration.channels
  }

  /// The case mapping Lyceum uses for names.
  static let caseMapping = CaseMapping.rfc1459

  /// `name` as the server compares names (rfc1459 case mapping), for lookups by nick.
  public static func fold(_ name: String) -> String { caseMapping.fold(name) }

  /// Whether `name` is a channel (rather than a nick).
  public static func isChannel(_ name: String) -> Bool {
    name.first == "#" || name.first == "&"
  }

  /// The lines that open a connection: `CAP LS 302`, `PASS`, `NICK`, `USER`. Call it for every
  /// new connection; the buffers are kept, so a reconnect fills its gap after registering.
  public mutating func connectionOpened(now: Int64) -> [SessionEvent] {
    isRegistered = false
    enabledCapabilities = []
    offeredCapabilities = [:]
    capabilityNegotiationDone = false
    sasl = .idle
    openBatches = [:]
    pendingLabels = [:]
    pendingHistory = [:]
    awaitingRegistration = false
    account = nil
    nick = configuration.nick
    lookedUp = []
    quietLookups = []
    for key in buffers.order {
      buffers.update(key) {
        $0.history.isLoadingOlder = false
        $0.history.isFillingGap = false
        if $0.kind == .channel { $0.isJoined = false }
      }
    }
    var out: [SessionEvent] = [.send("CAP LS 302")]
    if let password = configuration.serverPassword { out.append(.send("PASS \(password)")) }
    out.append(.send("NICK \(nick)"))
    out.append(.send("USER \(configuration.username) 0 * :\(configuration.realname)"))
    return out
  }

  /// Notes that the connection is gone, in the server buffer.
  public mutating func connectionLost(reason: String, now: Int64) {
    isRegistered = false
    status("Disconnected: \(reason)", now: now, kind: .error)
  }

  /// Adds a status line to the server buffer (or `key`'s buffer).
  public mutating func status(
    _ text: String, now: Int64, kind: BufferLine.Kind = .status, in key: BufferKey = .server
  ) {
    let target = buffers[key] == nil ? BufferKey.server : key
    buffers.update(target) { $0.insert(BufferLine(time: now, kind: kind, text: text)) }
  }

  /// Whether `name` is us.
  func isSelf(_ name: String) -> Bool { Self.caseMapping.equals(name, nick) }

  /// A new label for a command whose answer matters.
  mutating func nextLabel() -> String {
    // A server that never answers labels must not make them pile up.
    if pendingLabels.count >= 1_000 { pendingLabels.removeAll() }
    labelCounter += 1
    return "l\(labelCounter)"
  }

  /// Whether labels can be used (the server labels only with both capabilities).
  var canLabel: Bool {
    enabledCapabilities.contains("labeled-response") && enabledCapabilities.contains("batch")
  }

  /// The page size to ask for: the configured one, lowered to the server's limit.
  var pageSize: Int {
    historyLimit > 0
      ? min(configuration.historyPageSize, historyLimit)
      : configuration.historyPageSize
  }
}

/// One room of a `LIST` reply.
public struct DirectoryEntry: Equatable, Sendable {
  public var name: String
  public var members: Int
  /// A registered room's kind and description, nil for an ordinary channel.
  public var roomDescription: RoomDescription?
  public var topic: String
}
