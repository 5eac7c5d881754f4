import Dispatch
import Foundation
import Logging
import LyceumCore
import LyceumServer
import LyceumTransport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Ignores SIGPIPE once for the whole test process: OpenSSL's socket BIO writes with `write()`,
/// so a peer that resets while output is pending would otherwise kill the test runner.
let ignoreSIGPIPEOnce: Void = {
  signal(SIGPIPE, SIG_IGN)
}()

/// A failure of the harness itself (a timeout, an unexpected close) with the transcript that
/// led to it, so that a failing test shows what went over the wire.
struct HarnessFailure: Error, CustomStringConvertible {
  var description: String
}

/// One real `LyceumServer` in this process, on loopback ports chosen by the kernel, with its
/// own temporary data directory (where it generates its self-signed certificate).
///
/// Listeners: one TLS and one plaintext, both `127.0.0.1:0`. Tests adjust the configuration
/// through `configure`; the defaults are the server's own. `prepare` runs on the empty data
/// directory before the server opens it (to seed accounts, say); everything the server logs at
/// `logLevel` or above is kept in `logs`.
/// through `configure`; the defaults are the server's own, except that 127.0.0.1 is exempt
/// from the per-IP connection and registration limits.
final class TestServer {
  let server: LyceumServer
  let dataDirectory: String
  let tlsPort: Int
  let plainPort: Int
  let logs = LogCapture()
  private var stopped = false

  convenience init(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
    try self.init(logLevel: .warning, prepare: { _ in }, configure: configure)
  }

  /// `reusing` starts the server on an existing data directory (a restart) instead of a new one.
  init(
    logLevel: Logger.Level = .warning, reusing existingDirectory: String? = nil,
    prepare: (_ dataDirectory: String) throws -> Void,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    historyWriteStore: @escaping @Sendable (any HistoryStore) -> any HistoryStore = { $0 },
    upstream: UpstreamWork = .shared
  ) throws {
    _ = ignoreSIGPIPEOnce
    dataDirectory = existingDirectory ?? Self.makeTemporaryDirectory()
    do {
      try prepare(dataDirectory)
    } catch {
      try? FileManager.default.removeItem(atPath: dataDirectory)
      throw error
    }
    var configuration = ServerConfiguration()
    configuration.serverName = "test.lyceum.local"
    configuration.dataDirectory = dataDirectory
    configuration.listeners = [
      .init(host: "127.0.0.1", port: 0, tls: true),
      .init(host: "127.0.0.1", port: 0, tls: false),
    ]
    // Every test client comes from 127.0.0.1 and many register within seconds: no per-IP
    // limits by default. Flood tests clear this list and set tight limits of their own.
    configuration.connections.exemptIPs = ["127.0.0.1"]
    configure(&configuration)
    let fixed = configuration
    let logger = logs.logger(label: "lyceum.test", level: logLevel)
    do {
      server = try LyceumServer(
        configurationLoader: { fixed }, logger: logger, historyWriteStore: historyWriteStore,
        upstream: upstream)
      try server.start()
    } catch {
      try? FileManager.default.removeItem(atPath: dataDirectory)
      throw error
    }
    let bound = server.boundListeners
    tlsPort = bound.first(where: \.tls)?.port ?? 0
    plainPort = bound.first(where: { !$0.tls })?.port ?? 0
  }

  /// A client connected (and, for TLS, handshaken) to this server, presenting a client
  /// certificate when both paths are given.
  func connect(
    tls: Bool = true, name: String = "client", certificatePath: String? = nil,
    keyPath: String? = nil
  ) throws -> TestClient {
    try TestClient(
      port: tls ? tlsPort : plainPort, tls: tls, name: name, certificatePath: certificatePath,
      keyPath: keyPath)
  }

  /// A registered client, optionally with capabilities.
  func registered(
    _ nick: String, caps: [String] = [], tls: Bool = true
  ) throws -> TestClient {
    let client = try connect(tls: tls, name: nick)
    try client.register(nick: nick, caps: caps)
    return client
  }

  /// Stops this server, keeping its data directory, and starts a new one on that directory
  /// (on new ports): a restart. The new server owns the directory from then on.
  func restarted(
    logLevel: Logger.Level = .warning, configure: (inout ServerConfiguration) -> Void = { _ in }
  ) throws -> TestServer {
    stop(keepingData: true)
    return try TestServer(
      logLevel: logLevel, reusing: dataDirectory, prepare: { _ in }, configure: configure)
  }

  /// Shuts the server down (waiting for it) and removes the data directory unless
  /// `keepingData`. Idempotent.
  func stop(keepingData: Bool = false) {
    guard !stopped else { return }
    stopped = true
    let done = DispatchSemaphore(value: 0)
    server.shutdown { done.signal() }
    if done.wait(timeout: .now() + 5) == .timedOut {
      Issue.record("server shutdown did not complete within 5 s")
    }
    if !keepingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
  }

  deinit { stop() }

  static func makeTemporaryDirectory() -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-e2e-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
