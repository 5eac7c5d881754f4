/// Settings given on the command line, which win over the configuration file.
///
/// `nil` and empty lists mean "not given". Listeners are all-or-nothing: if any `--listen` or
/// `--tls-listen` is given, the listeners from the flags REPLACE every listener of the file,
/// so that `--listen 127.0.0.1:0` gives exactly one socket (what tests want).
public struct ConfigurationOverrides: Sendable, Equatable {
  /// `--data-dir`.
  public var dataDirectory: String?
  /// `--listen`: plaintext listeners.
  public var plainListeners: [HostPort]
  /// `--tls-listen`: TLS listeners, using the server-wide certificate.
  public var tlsListeners: [HostPort]
  /// `--tls-cert`.
  public var tlsCertificatePath: String?
  /// `--tls-key`.
  public var tlsKeyPath: String?
  /// `--server-name`.
  public var serverName: String?
  /// `--password`.
  public var password: String?
  /// `--log-level`.
  public var logLevel: String?

  /// Overrides; every argument defaults to "not given".
  public init(
    dataDirectory: String? = nil, plainListeners: [HostPort] = [], tlsListeners: [HostPort] = [],
    tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, serverName: String? = nil,
    password: String? = nil, logLevel: String? = nil
  ) {
    self.dataDirectory = dataDirectory
    self.plainListeners = plainListeners
    self.tlsListeners = tlsListeners
    self.tlsCertificatePath = tlsCertificatePath
    self.tlsKeyPath = tlsKeyPath
    self.serverName = serverName
    self.password = password
    self.logLevel = logLevel
  }

  /// Writes the given settings over `configuration`. Does not validate; call `validate()`.
  public func apply(to configuration: inout ServerConfiguration) {
    if let dataDirectory { configuration.dataDirectory = dataDirectory }
    if !plainListeners.isEmpty || !tlsListeners.isEmpty {
      configuration.listeners =
        tlsListeners.map { ListenerConfiguration(host: $0.host, port: $0.port, tls: true) }
        + plainListeners.map { ListenerConfiguration(host: $0.host, port: $0.port, tls: false) }
    }
    if let tlsCertificatePath { configuration.tlsCertificatePath = tlsCertificatePath }
    if let tlsKeyPath { configuration.tlsKeyPath = tlsKeyPath }
    if let serverName { configuration.serverName = serverName }
    if let password { configuration.password = password }
    if let logLevel { configuration.logLevel = logLevel }
  }
}
