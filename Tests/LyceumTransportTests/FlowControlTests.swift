import Foundation
import LyceumClient
import LyceumTransport
import Synchronization
import Testing

/// A handler that pauses reading as soon as the connection is ready and records what arrives.
private final class PausingHandler: ConnectionHandler {
  let connection = Signal<Connection>()
  let firstBytes = Signal<String>()
  let closed = Signal<CloseReason>()

  func connectionDidBecomeReady(_ connection: Connection) {
    connection.pauseReading()
    self.connection.fulfill(connection)
  }

  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer) {
    firstBytes.fulfill(String(decoding: bytes, as: UTF8.self))
    connection.send(Array(bytes))
  }

  func connectionDidClose(_ connection: Connection, reason: CloseReason) {
    closed.fulfill(reason)
  }
}

@Suite(.serialized) struct FlowControlTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test(arguments: [false, true])
  func pausedConnectionDeliversNothingUntilResumed(tls: Bool) async throws {
    let handler = PausingHandler()
    let listener = try Listener(
      host: "127.0.0.1", port: 0, tls: tls ? try Certificates.shared.serverContext() : nil,
      limits: ConnectionLimits(), logger: .init(label: "test"))
    defer { listener.stop() }
    listener.start { connection in
      connection.setHandler(handler)
      connection.start()
    }
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: listener.boundPort, tls: tls, verification: .none)
    let connection = try #require(await handler.connection.wait())
    try client.send("held back")
    // Nothing may arrive while paused; there is no event for "did not happen", so wait briefly.
    #expect(await handler.firstBytes.wait(timeout: .milliseconds(300)) == nil)
    connection.resumeReading()
    #expect(await handler.firstBytes.wait() == "held back\r\n")
    #expect(try client.readLine() == "held back")
    connection.close(flushingFirst: false)
    #expect(await handler.closed.wait() == .local)
    #expect(try client.readLine(timeout: .seconds(2)) == nil)
    #expect(client.isClosed)
  }

  @Test func replacedTLSContextServesNewConnectionsOnly() async throws {
    let certificates = Certificates.shared
    let server = try EchoServer(host: "127.0.0.1", tls: try certificates.serverContext())
    let before = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    #expect(before.peerCertificateFingerprintSHA256 == certificates.serverFingerprint)

    let certificate = certificates.directory + "/renewed.crt"
    let key = certificates.directory + "/renewed.key"
    let renewed = try TLSContext.generateSelfSigned(
      commonName: "irc.test", certificatePath: certificate, keyPath: key)
    #expect(renewed != certificates.serverFingerprint)
    server.listener.replaceTLSContext(try TLSContext(certificatePath: certificate, keyPath: key))

    let after = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    #expect(after.peerCertificateFingerprintSHA256 == renewed)
    try before.send("old")
    #expect(try before.readLine() == "old")
    try after.send("new")
    #expect(try after.readLine() == "new")
  }

  @Test func sendsFromManyThreadsArriveWholeAndCloseComesOnce() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: try Certificates.shared.serverContext())
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try client.send("hi")
    #expect(try client.readLine() == "hi")
    let handler = try #require(await server.handler(0))
    let connection = try #require(await handler.connection.wait())
    let senders = 4
    let perSender = 500
    DispatchQueue.concurrentPerform(iterations: senders) { sender in
      for index in 0..<perSender {
        connection.send(Array("s\(sender) \(index)\r\n".utf8))
      }
    }
    var next = [Int](repeating: 0, count: senders)
    for _ in 0..<(senders * perSender) {
      let line = try #require(try client.readLine())
      let parts = line.dropFirst().split(separator: " ").compactMap { Int($0) }
      try #require(parts.count == 2)
      // Each sender's lines keep their order.
      #expect(parts[1] == next[parts[0]])
      next[parts[0]] = parts[1] + 1
    }
    #expect(next == [Int](repeating: perSender, count: senders))
    DispatchQueue.concurrentPerform(iterations: 3) { _ in connection.close(flushingFirst: true) }
    #expect(await handler.closed.wait() == .local)
    #expect(try client.readLine(timeout: .seconds(2)) == nil)
  }
}
