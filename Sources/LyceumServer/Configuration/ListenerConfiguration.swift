/// One socket the server listens on.
public struct ListenerConfiguration: Sendable, Equatable {
  /// The address to bind: an IPv4 or IPv6 literal or a host name. `::` is every interface,
  /// IPv4 and IPv6 (dual-stack).
  public var host: String
  /// The TCP port; 0 asks the kernel for a free one (used by tests).
  public var port: Int
  /// Whether connections on this socket speak TLS.
  public var tls: Bool
  /// A certificate chain (PEM) for this listener only; `nil` uses the server-wide one.
  public var certificatePath: String?
  /// The private key (PEM) for `certificatePath`.
  public var keyPath: String?

  /// A listener; TLS listeners use the server-wide certificate unless given their own.
  public init(
    host: String, port: Int, tls: Bool, certificatePath: String? = nil, keyPath: String? = nil
  ) {
    self.host = host
    self.port = port
    self.tls = tls
    self.certificatePath = certificatePath
    self.keyPath = keyPath
  }

  /// `host:port` with IPv6 addresses in brackets, as logged and shown to people.
  public var address: String {
    HostPort(host: host, port: port).description
  }
}
