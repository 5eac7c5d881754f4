import LyceumProtocol

/// One connection to the server, and the person (`Client`) it speaks for.
///
/// A person may be connected from several devices at once (laptop, phone, terminal); each
/// connection is a session with its own capabilities, timers and registration state, and all of
/// them share one `Client`: its nick, its channels, its modes. Before registration every session
/// has a provisional client of its own. Touched only on the core's queue.
public final class Session {
  /// The connection's id, as the server knows it.
  public let id: ClientID
  /// Numeric address the connection came from.
  public let ip: String
  public let isTLS: Bool
  /// SHA-256 of the TLS client certificate, for SASL EXTERNAL and WHOIS `276`.
  public var tlsCertificateFingerprint: String?
  /// The person this connection speaks for.
  public internal(set) var client: Client
  /// The server's object for this connection, returned with every write (see `OutboxWrite`).
  public let transportHandle: TransportHandle?
  /// The outbox this session last got bytes in, and its entry there (see `Outbox.append`).
  ///
  /// These three are read or set for every member of a channel a line goes to, so they are
  /// exempt from run-time exclusivity checks (`swift_beginAccess` and a thread-local lookup
  /// per access; measured, release, one core: 2 % less CPU per delivery at `fanout --clients
  /// 200 --rate 0`). That is safe because no access to them is held across a call that could
  /// touch them again, and they are touched on the core's queue only.
  @exclusivity(unchecked) var outboxGeneration: UInt64 = 0
  @exclusivity(unchecked) var outboxSlot = 0

  @exclusivity(unchecked) public var capabilities: CapabilitySet = []
  /// The version from `CAP LS <version>`; 302 enables cap values and multi-line LS.
  public var capVersion = 0
  /// True from the first `CAP LS`/`REQ` before registration until `CAP END`.
  public var isNegotiatingCapabilities = false
  public var givenPassword: String?
  /// The credential this connection logged in with, and when (wall clock, milliseconds); nil
  /// when it did not log in itself. See `IRCServerCore.endRevokedSessions`.
  public internal(set) var login: LoginCredential?
  var loggedInAtMilliseconds: Int64 = 0
  /// A session of the bots' loopback listener (see `openListenerSession`): it logged in with a
  /// token checked by the server, and its registrations are not counted by the per-address
  /// registration throttle (every such session comes from loopback, one per script run).
  public internal(set) var postsFromListener = false
  /// True once this connection got its welcome burst.
  public var isRegistered = false {
    didSet { DeliveryTopology.changed() }
  }

  /// The SASL exchange in progress, if any.
  var sasl: SASLExchange?
  /// An account request (PASS login, REGISTER) the account service has not answered yet;
  /// registration waits for it.
  var pendingAccountRequest: PendingAccountRequest?
  /// Answers still to come for requests given up (a SASL step aborted while the service was on
  /// it): the service answers a connection's requests in order, so these come first and are
  /// dropped.
  var staleAccountAnswers = 0
  /// Messages that arrived while an account request was outstanding, to run in order once it
  /// is answered: `PASS bot:token`, `NICK`, `USER`, `PRIVMSG` pipelined in one write must act
  /// as if the login had been instant.
  var deferred: [IRCMessage] = []
  /// A `CHATHISTORY` read the store has not answered yet; further input waits for it too, so
  /// that this connection's replies come in the order of its commands.
  var pendingHistoryRequest: PendingHistoryRequest? {
    get { boxedHistoryRequest?.value }
    set { boxedHistoryRequest = newValue.map(Boxed.init) }
  }
  /// A nick the network's database has not answered about yet; further input waits for it.
  var pendingNickClaim: PendingNickClaim?
  /// Flood control: token buckets and the commands waiting for a token.
  var budget = CommandBudget()
  /// The `draft/multiline` batch being received, if any (see `MultilineLimits`).
  var multiline: OpenMultilineBatch? {
    get { boxedMultiline?.value }
    set { boxedMultiline = newValue.map(Boxed.init) }
  }

  /// The two states above, boxed: each is rare and takes about a hundred bytes, which every
  /// session carried inline (`lyceum-bench idle` holds thousands that never use them).
  private var boxedHistoryRequest: Boxed<PendingHistoryRequest>?
  private var boxedMultiline: Boxed<OpenMultilineBatch>?

  public let connectedAt: Duration
  /// Last time anything arrived on this connection; drives the PING and idle timers.
  public var lastActivity: Duration
  public var pingSentAt: Duration?

  init(
    id: ClientID, ip: String, isTLS: Bool, client: Client, now: Duration,
    transportHandle: TransportHandle? = nil
  ) {
    self.id = id
    self.transportHandle = transportHandle
    self.ip = ip
    self.isTLS = isTLS
    self.client = client
    self.connectedAt = now
    self.lastActivity = now
  }
}

/// A value kept out of line, so that an optional of it takes one pointer in its owner.
final class Boxed<Value> {
  let value: Value
  init(_ value: Value) { self.value = value }
}
