import Logging

/// Everything an operator can set about one `lyceumd`, as loaded from the YAML file and the
/// command line.
///
/// A value type so that a reload (SIGHUP) can build a fresh one and compare it with the running
/// one. Every property has a default that gives a working development server, so an empty file
/// (or no file at all) is a valid configuration. See `lyceum.example.yaml` for the file format.
public struct ServerConfiguration: Sendable, Equatable {
  /// The server's own name, as sent in numerics and `PING`; hostname-like, must contain a '.'.
  public var serverName = "lyceum.local"
  /// The network name advertised in `RPL_ISUPPORT NETWORK=`; no spaces.
  public var networkName = "Lyceum"
  /// Where the server keeps its database and the generated development certificate.
  public var dataDirectory = "./lyceum-data"
  /// Where accounts, rooms, read markers and history are kept: SQLite in the data directory
  /// (the default) or a PostgreSQL database (`store: postgresql://…`).
  public var store = StoreConfiguration.sqlite
  /// Set when this server is one node of several sharing the PostgreSQL `store`.
  public var network: NetworkConfiguration?
  /// The sockets to listen on. Default: TLS on every interface (dual-stack `::`) port 6697,
  /// plaintext on loopback only port 6667.
  public var listeners: [ListenerConfiguration] = [
    .init(host: "::", port: 6697, tls: true),
    .init(host: "127.0.0.1", port: 6667, tls: false),
  ]
  /// The certificate chain (PEM) used by TLS listeners that name none of their own. `nil` (with
  /// `tlsKeyPath` nil) makes the server generate a self-signed development certificate in the
  /// data directory.
  public var tlsCertificatePath: String?
  /// The private key (PEM) matching `tlsCertificatePath`.
  public var tlsKeyPath: String?
  /// The server password clients must send with `PASS`; `nil` for an open server.
  public var password: String?
  /// The message of the day, one entry per line. The file's `motd-file` is read into this at
  /// load time.
  /// Without `motd` or `motd-file` in the file it welcomes and names the configured rooms.
  public var motd: [String] = ServerConfiguration.defaultMOTD(rooms: RoomConfiguration.defaults)
  /// Rooms the server creates and owns at start-up and at reload (`rooms:`); by default
  /// `#lobby` and `#announcements`. An empty list in the file creates none.
  public var rooms: [RoomConfiguration] = RoomConfiguration.defaults
  /// Who may become an IRC operator with `OPER`.
  public var operators: [OperatorConfiguration] = []
  /// Sizes and counts the server enforces and advertises in `RPL_ISUPPORT`.
  public var limits = LimitsConfiguration()
  /// How long the server waits for clients at each stage.
  public var timeouts = TimeoutsConfiguration()
  /// Strict Transport Security (IRCv3 `sts`) advertisement.
  public var sts = STSConfiguration()
  /// Account registration and login throttling.
  public var accounts = AccountsConfiguration()
  /// Kept history and CHATHISTORY.
  public var history = HistoryConfiguration()
  /// Per-connection command flood control.
  public var flood = FloodConfiguration()
  /// Per-IP connection limit, connection throttle and registration throttle.
  public var connections = ConnectionsConfiguration()
  /// The loopback listener bots post through, one line a message; nil (the default): off.
  public var botsListener: BotsListenerConfiguration?
  /// Lines shown by `ADMIN` (location 1, location 2, e-mail) and `INFO`.
  public var adminInfo: [String] = [
    "Lyceum chat server",
    "Administrator not configured (set admin-info)",
    "admin@lyceum.local",
  ]
  /// The swift-log level name: trace, debug, info, notice, warning, error or critical.
  public var logLevel = "info"

  /// The default configuration: a working development server.
  public init() {}

  /// `logLevel` as a swift-log level; `.info` if the name is unknown (validation rejects those).
  public var loggerLevel: Logger.Level {
    Logger.Level(rawValue: logLevel) ?? .info
  }
}
