import LyceumProtocol

/// One person on the server: nick, identity, modes and channels, shared by all of their
/// connected sessions.
///
/// Its id is the `ClientID` of the connection that created it, so ids never collide with
/// another client's or another connection's. A reference type owned by `IRCServerCore` and
/// touched only on the core's queue.
public final class Client {
  public let id: ClientID
  /// Numeric address of the connection that created the client.
  public let ip: String
  /// The host shown in `nick!user@host`: the IP, with a leading `0` when it would start with `:`.
  public internal(set) var host: String
  /// Whether the creating connection used TLS (WHOIS `671`).
  public let isTLS: Bool
  /// The connected sessions, oldest first; empty once the client has quit.
  public internal(set) var sessions: [Session] = [] {
    didSet { DeliveryTopology.changed() }
  }

  public internal(set) var nick: String?
  /// `nick` under the server's case mapping; the key in `IRCServerCore.clientsByNick`.
  public internal(set) var foldedNick: String?
  public internal(set) var user: String?
  public internal(set) var realname: String = ""

  /// True once the client has been welcomed on at least one session.
  public internal(set) var isRegistered = false
  /// The account the client is logged in to, if any. Kept in `accountIndex`.
  public internal(set) var account: AccountSummary? {
    didSet {
      if oldValue?.foldedName != account?.foldedName {
        accountIndex?.move(id, from: oldValue?.foldedName, to: account?.foldedName)
      }
    }
  }
  /// The core's index of clients by account, which `account` keeps current.
  let accountIndex: AccountIndex?

  public internal(set) var isInvisible = false {
    didSet { if isCounted { counts?.changed(invisible: oldValue, to: isInvisible) } }
  }
  public internal(set) var isOperator = false {
    didSet { if isCounted { counts?.changed(operator: oldValue, to: isOperator) } }
  }
  /// The core's running counts for `LUSERS`, which this client's modes keep current while it
  /// is counted (registered and not yet gone).
  let counts: ClientCounts?
  var isCounted = false
  public internal(set) var isBot = false
  public internal(set) var awayMessage: String?

  /// Folded names of the channels the client is in.
  public internal(set) var channels: Set<String> = []
  public let connectedAt: Duration
  public let signonMilliseconds: Int64
  /// Last PRIVMSG/NOTICE sent, for the WHOIS idle time.
  public internal(set) var lastMessageAt: Duration
  /// When this client's last `KNOCK` was delivered (monotonic), for the per-user knock limit.
  var lastKnockAt: Duration?
  /// Where a client of another node of the network is connected; nil for a client of this
  /// node (see `IRCServerCore+NetworkApply.swift`).
  public internal(set) var home: NetworkClientRef?
  /// The server name of a remote client's node; nil for a client of this node.
  public internal(set) var homeServerName: String?
  /// The folded nick the shared database holds for this local client, on a network.
  var claimedNick: String?
  /// Read markers of a client not logged in, by folded target: kept in memory only, for as
  /// long as the client is online (a logged-in client's markers are its account's).
  var guestReadMarkers: [String: Int64] = [:]
  /// The other accounts (folded) of the direct conversations this client sent or was sent
  /// messages in while online: a session that cannot mark read counts them as read when it leaves
  /// (`IRCServerCore.markReadOnLeaving`). At most one per account it talks to.
  var liveConversations: Set<String> = []

  init(
    id: ClientID, ip: String, isTLS: Bool, now: Duration, wallMilliseconds: Int64,
    accountIndex: AccountIndex? = nil, counts: ClientCounts? = nil
  ) {
    self.id = id
    self.accountIndex = accountIndex
    self.counts = counts
    self.ip = ip
    self.host = ip.hasPrefix(":") ? "0" + ip : ip
    self.isTLS = isTLS
    self.connectedAt = now
    self.signonMilliseconds = wallMilliseconds
    self.lastMessageAt = now
  }

  /// The sessions that have been welcomed, which are the ones that receive traffic.
  var registeredSessions: some Sequence<Session> { sessions.lazy.filter(\.isRegistered) }

  /// The nick, or `*` before one is set, as used in numerics' first parameter.
  public var displayNick: String { nick ?? "*" }

  /// `nick!user@host`, the source of everything this client sends.
  public var prefix: String { "\(nick ?? "*")!\(user ?? "*")@\(host)" }

  /// User mode string as shown by `221` and WHOIS, such as `+iB`.
  public var modeString: String {
    var modes = "+"
    if isInvisible { modes += "i" }
    if isOperator { modes += "o" }
    if isBot { modes += "B" }
    return modes
  }
}
