import ArgumentParser
import Foundation
import Logging
import LyceumServer

/// `lyceumd serve`, also what `lyceumd` runs with no subcommand: parses flags, loads the
/// configuration, starts the server and waits for signals. Everything else lives in
/// `LyceumServer`.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the server (the default when no subcommand is given).",
    discussion: """
      With no options, lyceumd keeps its data in ./lyceum-data, listens with TLS on port 6697 on \
      every interface (a self-signed development certificate is generated in the data directory \
      and its SHA-256 fingerprint logged) and in plaintext on 127.0.0.1:6667.

      Flags override the configuration file. If any --listen or --tls-listen is given, the \
      listeners from the flags replace all listeners of the file.

      Signals: SIGHUP reloads the configuration file, certificates and accounts, keeping \
      clients connected except sessions whose account or login was revoked with lyceumd; \
      SIGTERM or SIGINT shuts down cleanly.

      Exit status: 0 after a clean shutdown, 64 for bad flags, 78 for a bad configuration, \
      1 if the server cannot start (for example, a port in use).
      """)

  @Option(
    name: .customLong("config"), help: ArgumentHelp("YAML configuration file.", valueName: "file"))
  var configFile: String?

  @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory.", valueName: "dir"))
  var dataDirectory: String?

  @Option(
    name: .customLong("listen"),
    help: ArgumentHelp(
      "Plaintext listener, e.g. 127.0.0.1:6667 (repeatable).", valueName: "host:port"),
    transform: HostPort.init(parsing:))
  var plainListeners: [HostPort] = []

  @Option(
    name: .customLong("tls-listen"),
    help: ArgumentHelp(
      "TLS listener, e.g. *:6697 or [::1]:6697 (repeatable).", valueName: "host:port"),
    transform: HostPort.init(parsing:))
  var tlsListeners: [HostPort] = []

  @Option(
    name: .customLong("tls-cert"),
    help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "file"))
  var tlsCertificatePath: String?

  @Option(
    name: .customLong("tls-key"), help: ArgumentHelp("TLS private key (PEM).", valueName: "file"))
  var tlsKeyPath: String?

  @Option(
    name: .customLong("server-name"),
    help: ArgumentHelp("Server name, e.g. irc.example.edu.", valueName: "name"))
  var serverName: String?

  @Option(
    name: .customLong("password"),
    help: ArgumentHelp("Server password clients send with PASS.", valueName: "pass"))
  var password: String?

  @Option(
    name: .customLong("log-level"),
    help: ArgumentHelp(
      "trace, debug, info, notice, warning, error or critical.", valueName: "level"))
  var logLevel: String?

  var overrides: ConfigurationOverrides {
    ConfigurationOverrides(
      dataDirectory: dataDirectory, plainListeners: plainListeners, tlsListeners: tlsListeners,
      tlsCertificatePath: tlsCertificatePath, tlsKeyPath: tlsKeyPath, serverName: serverName,
      password: password, logLevel: logLevel)
  }

  func run() throws {
    let (file, overrides) = (configFile, overrides)
    let loader: @Sendable () throws -> ServerConfiguration = {
      try ServerConfiguration.load(fromYAMLFile: file, applying: overrides)
    }
    let configuration: ServerConfiguration
    do {
      configuration = try loader()
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode(78)  // EX_CONFIG
    }
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = configuration.loggerLevel
      return handler
    }
    let logger = Logger(label: "lyceumd")
    signal(SIGPIPE, SIG_IGN)
    MemoryPolicy.apply()
    let server: LyceumServer
    do {
      server = try LyceumServer(configurationLoader: loader, logger: logger)
      try server.start()
    } catch let error as ConfigurationError {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode(78)
    } catch {
      logger.critical("cannot start: \(error)")
      throw ExitCode.failure
    }
    SignalHandlers.install(server: server, logger: logger)
    dispatchMain()
  }
}
