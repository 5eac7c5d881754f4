/// IRCv3 Strict Transport Security: tells clients on plaintext to reconnect with TLS.
///
/// When enabled and a TLS listener exists, plaintext connections get `sts=port=P` and TLS
/// connections get `sts=duration=D`. The default duration is 0: clients upgrade each time but do
/// not remember the policy, which is right for a development server with a self-signed
/// certificate. With a real certificate set a long duration (e.g. `30d`).
public struct STSConfiguration: Sendable, Equatable {
  /// Whether to advertise the `sts` capability at all.
  public var enabled = true
  /// How long clients should remember the policy; 0 means "do not remember".
  public var duration: Duration = .zero
  /// The TLS port advertised to plaintext clients; `nil` uses the first TLS listener's port
  /// (set it when a proxy or NAT maps the port).
  public var port: Int?

  /// The defaults.
  public init() {}
}
