/// How long the server waits for clients. In the file each is a number of seconds (fractions
/// allowed, `0.2`) or a string with a unit: `"500ms"`, `"10s"`, `"2m"`, `"1h"`, `"1d"`.
public struct TimeoutsConfiguration: Sendable, Equatable {
  /// Time allowed for a TLS handshake to finish after the TCP connection is accepted.
  public var tlsHandshake: Duration = .seconds(10)
  /// Time allowed from connection to the end of registration (`NICK`/`USER`/`CAP END`).
  public var registration: Duration = .seconds(60)
  /// Idle time after which the server sends `PING` to a client.
  public var pingInterval: Duration = .seconds(90)
  /// Time the server waits for any data after its `PING` before disconnecting the client.
  public var pingTimeout: Duration = .seconds(60)

  /// The defaults.
  public init() {}
}
