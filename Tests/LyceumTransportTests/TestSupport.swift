import Dispatch
import Foundation
import Logging
import LyceumClient
import LyceumTransport
import Synchronization
import Testing

/// A value that arrives later, awaited with a bound. Waiters resume when it is fulfilled or, with
/// nil, when their timeout passes: tests wait for signals, never sleep.
final class Signal<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [Int: CheckedContinuation<Value?, Never>] = [:]
    var nextWaiter = 0
  }
  private let state = Mutex(State())

  /// Sets the value (first one wins) and wakes every waiter.
  func fulfill(_ value: Value) {
    let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
      if state.value != nil { return [] }
      state.value = value
      let waiters = Array(state.waiters.values)
      state.waiters = [:]
      return waiters
    }
    for waiter in waiters { waiter.resume(returning: value) }
  }

  var current: Value? { state.withLock { $0.value } }

  /// The value, or nil if it has not come within `timeout`.
  func wait(timeout: Duration = .seconds(10)) async -> Value? {
    await withCheckedContinuation { continuation in
      let id = state.withLock { state -> Int? in
        if state.value != nil { return nil }
        let id = state.nextWaiter
        state.nextWaiter += 1
        state.waiters[id] = continuation
        return id
      }
      guard let id else {
        continuation.resume(returning: current)
        return
      }
      let nanos =
        Int(timeout.components.seconds) * 1_000_000_000
        + Int(timeout.components.attoseconds / 1_000_000_000)
      DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanos)) {
        let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume(returning: nil)
      }
    }
  }
}

/// A test server handler: echoes what it receives; "flood" makes it send without end from
/// another thread (until closed); "quit" makes it say "bye" and close after flushing.
final class EchoHandler: ConnectionHandler {
  let ready = Signal<ConnectionFacts>()
  let closed = Signal<CloseReason>()
  let connection = Signal<Connection>()

  struct ConnectionFacts: Sendable {
    var id: ConnectionID
    var remoteAddress: String
    var localPort: Int
    var tlsVersion: String?
    var cipher: String?
    var peerFingerprint: String?
  }

  func connectionDidBecomeReady(_ connection: Connection) {
    self.connection.fulfill(connection)
    ready.fulfill(
      ConnectionFacts(
        id: connection.id, remoteAddress: connection.remoteAddress,
        localPort: connection.localPort, tlsVersion: connection.tlsVersion,
        cipher: connection.cipher, peerFingerprint: connection.peerCertificateFingerprintSHA256))
  }

  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    if text.hasPrefix("flood") {
      let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 4095) + [10]
      let closed = self.closed
      DispatchQueue.global().async {
        // Bounded so that a broken limit makes the test fail by timeout, not run forever.
        var sent = 0
        while closed.current == nil && sent < 256 << 20 {
          connection.send(chunk)
          sent += chunk.count
        }
      }
    } else if text.hasPrefix("quit") {
      connection.send(Array("bye\r\n".utf8))
      connection.close(flushingFirst: true)
    } else {
      connection.send(Array(bytes))
    }
  }

  func connectionDidClose(_ connection: Connection, reason: CloseReason) {
    closed.fulfill(reason)
  }
}

/// A listener whose accepted connections get fresh `EchoHandler`s, handed out in accept order.
final class EchoServer: Sendable {
  let listener: Listener
  private let handlers = Mutex<[EchoHandler]>([])
  private let accepted = Mutex<[Signal<EchoHandler>]>([])

  init(
    host: String, tls: TLSContext?, limits: ConnectionLimits = ConnectionLimits(), port: Int = 0,
    loops: IOLoopGroup = .shared
  ) throws {
    var logger = Logger(label: "test.transport")
    logger.logLevel = .warning
    listener = try Listener(
      host: host, port: port, tls: tls, limits: limits, logger: logger, loops: loops)
    listener.start { [weak self] connection in
      let handler = EchoHandler()
      connection.setHandler(handler)
      connection.start()
      self?.record(handler)
    }
  }

  var port: Int { listener.boundPort }

  private func record(_ handler: EchoHandler) {
    let signal = accepted.withLock { list -> Signal<EchoHandler> in
      let index = handlers.withLock { handlers -> Int in
        handlers.append(handler)
        return handlers.count - 1
      }
      while list.count <= index { list.append(Signal()) }
      return list[index]
    }
    signal.fulfill(handler)
  }

  /// The handler of the `index`-th accepted connection (0-based), once it is accepted.
  func handler(_ index: Int) async -> EchoHandler? {
    let signal = accepted.withLock { list -> Signal<EchoHandler> in
      while list.count <= index { list.append(Signal()) }
      return list[index]
    }
    return await signal.wait()
  }

  deinit {
    listener.stop()
  }
}

/// Certificates generated once per test process in a temporary directory.
struct Certificates: Sendable {
  let directory: String
  let serverCertificate: String
  let serverKey: String
  let serverFingerprint: String
  let clientCertificate: String
  let clientKey: String
  let clientFingerprint: String

  static let shared: Certificates = {
    signal(SIGPIPE, SIG_IGN)
    let directory = NSTemporaryDirectory() + "lyceum-transport-tests-\(getpid())"
    try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let serverCertificate = directory + "/server.crt"
    let serverKey = directory + "/server.key"
    let clientCertificate = directory + "/client.crt"
    let clientKey = directory + "/client.key"
    let serverFingerprint = try! TLSContext.generateSelfSigned(
      commonName: "irc.test", certificatePath: serverCertificate, keyPath: serverKey)
    let clientFingerprint = try! TLSContext.generateSelfSigned(
      commonName: "alice", certificatePath: clientCertificate, keyPath: clientKey)
    return Certificates(
      directory: directory, serverCertificate: serverCertificate, serverKey: serverKey,
      serverFingerprint: serverFingerprint, clientCertificate: clientCertificate,
      clientKey: clientKey, clientFingerprint: clientFingerprint)
  }()

  func serverContext() throws -> TLSContext {
    try TLSContext(certificatePath: serverCertificate, keyPath: serverKey)
  }
}

/// A connected TLS client and its server-side connection on the first loop of `loops`.
func connectedTLSPair(on loops: IOLoopGroup) async throws -> (
  EchoServer, BlockingLineClient, Connection
) {
  let server = try EchoServer(
    host: "127.0.0.1", tls: try Certificates.shared.serverContext(), loops: loops)
  let client = try BlockingLineClient(
    host: "127.0.0.1", port: server.port, tls: true, verification: .none)
  try client.send("hello")
  #expect(try client.readLine() == "hello")
  let handler = try #require(await server.handler(0))
  let connection = try #require(await handler.connection.wait())
  return (server, client, connection)
}
