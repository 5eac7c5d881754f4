/// The loopback listener bots post through (`bots-listener:`), irccat-style: one line per
/// message, `ACCOUNT:TOKEN TARGET TEXT`, answered `OK <msgid>` or `ERROR <reason>`. Off unless
/// the file has the section; it binds loopback only, since it speaks plain TCP and is meant
/// for scripts on the server's own machine.
public struct BotsListenerConfiguration: Sendable, Equatable {
  /// Where it listens: a loopback address (`127.0.0.1`, any `127.x.y.z`, `::1`) and a port.
  public var listen: HostPort
  /// Connections open at once; a further one gets `ERROR too many connections` and is closed.
  public var maxConnections = 16
  /// Lines one connection may send in any one second; a further line is answered
  /// `ERROR too many lines …` and not posted.
  public var linesPerSecond = 10
  /// A connection that sends nothing (and waits for no answer) this long is closed.
  public var idleTimeout: Duration = .seconds(30)

  /// A listener at `listen` with the default bounds.
  public init(listen: HostPort) {
    self.listen = listen
  }

  /// Whether `host` is a loopback address this listener may bind.
  static func isLoopback(_ host: String) -> Bool {
    if host == "::1" || host == "localhost" { return true }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127"
      && parts.allSatisfy { part in
        part.count <= 3 && part.allSatisfy(\.isNumber) && Int(part).map { $0 <= 255 } == true
      }
  }
}

extension BotsListenerConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case listen
    case maxConnections = "max-connections"
    case linesPerSecond = "lines-per-second"
    case idleTimeout = "idle-timeout"
  }

  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    guard let text = try file.optional(String.self, .listen, expecting: "HOST:PORT") else {
      throw ConfigurationError.invalidValue(
        key: "bots-listener.listen", value: "(none)",
        reason: "give the address, e.g. 127.0.0.1:6680")
    }
    var address = try HostPort(parsing: text)
    if address.host == "localhost" { address.host = "127.0.0.1" }
    self.init(listen: address)
    maxConnections =
      try file.optional(Int.self, .maxConnections, expecting: "a number of connections")
      ?? maxConnections
    linesPerSecond =
      try file.optional(Int.self, .linesPerSecond, expecting: "a number of lines") ?? linesPerSecond
    idleTimeout = try file.duration(.idleTimeout) ?? idleTimeout
  }

  /// Refuses an address that is not loopback and bounds that are not positive.
  func validate() throws {
    func invalid(_ key: String, _ value: String, _ reason: String) -> ConfigurationError {
      .invalidValue(key: "bots-listener.\(key)", value: value, reason: reason)
    }
    guard Self.isLoopback(listen.host) else {
      throw invalid(
        "listen", listen.description,
        "must be a loopback address (127.0.0.1 or [::1]): the listener speaks plain TCP")
    }
    guard maxConnections >= 1 else {
      throw invalid("max-connections", String(maxConnections), "must be at least 1")
    }
    guard linesPerSecond >= 1 else {
      throw invalid("lines-per-second", String(linesPerSecond), "must be at least 1")
    }
    guard idleTimeout > .zero else {
      throw invalid("idle-timeout", "\(idleTimeout)", "must be more than 0")
    }
  }
}
