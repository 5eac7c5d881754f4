import LyceumProtocol

/// One connected client and everything the server knows about it.
///
/// A reference type owned by `IRCServerCore` and touched only on the core's queue.
public final class Client {
  public let id: ClientID
  /// Numeric address the client connected from.
  public let ip: String
  /// The host shown in `nick!user@host`: the IP, with a leading `0` when it would start with `:`.
  public var host: String
  public let isTLS: Bool
  public var tlsCertificateFingerprint: String?

  public var nick: String?
  /// `nick` under the server's case mapping; the key in `IRCServerCore.clientsByNick`.
  public var foldedNick: String?
  public var user: String?
  public var realname: String = ""

  public var capabilities: CapabilitySet = []
  /// The version from `CAP LS <version>`; 302 enables cap values and multi-line LS.
  public var capVersion = 0
  /// True from the first `CAP LS`/`REQ` before registration until `CAP END`.
  public var isNegotiatingCapabilities = false
  public var givenPassword: String?
  public var isRegistered = false

  public var isInvisible = false
  public var isOperator = false
  public var isBot = false
  public var awayMessage: String?

  /// Folded names of the channels the client is in.
  public var channels: Set<String> = []
  public let connectedAt: Duration
  public let signonMilliseconds: Int64
  /// Last time anything arrived from the client; drives the PING and idle timers.
  public var lastActivity: Duration
  /// Last PRIVMSG/NOTICE sent, for the WHOIS idle time.
  public var lastMessageAt: Duration
  public var pingSentAt: Duration?

  init(id: ClientID, ip: String, isTLS: Bool, now: Duration, wallMilliseconds: Int64) {
    self.id = id
    self.ip = ip
    self.host = ip.hasPrefix(":") ? "0" + ip : ip
    self.isTLS = isTLS
    self.connectedAt = now
    self.signonMilliseconds = wallMilliseconds
    self.lastActivity = now
    self.lastMessageAt = now
  }

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
