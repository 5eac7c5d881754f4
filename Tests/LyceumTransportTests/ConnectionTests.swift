import Foundation
import LyceumClient
import LyceumTransport
import Testing

@Suite(.serialized) struct ConnectionTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func tlsEchoRoundTripOverIPv4() async throws {
    let certificates = Certificates.shared
    let server = try EchoServer(host: "127.0.0.1", tls: try certificates.serverContext())
    #expect(server.listener.isTLS)
    #expect(server.port > 0)
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try client.send("hello world")
    #expect(try client.readLine() == "hello world")
    #expect(client.tlsVersion == "TLSv1.3")

    let handler = try #require(await server.handler(0))
    let facts = try #require(await handler.ready.wait())
    #expect(facts.tlsVersion == "TLSv1.3")
    #expect(facts.cipher?.isEmpty == false)
    #expect(facts.remoteAddress == "127.0.0.1")
    #expect(facts.localPort == server.port)
    #expect(facts.peerFingerprint == nil)

    client.close()
    #expect(await handler.closed.wait() == .remoteClosed)
  }

  @Test func tlsEchoOverIPv6WithClientCertificate() async throws {
    let certificates = Certificates.shared
    let server = try EchoServer(host: "::1", tls: try certificates.serverContext())
    let client = try BlockingLineClient(
      host: "::1", port: server.port, tls: true, verification: .none,
      clientCertificatePath: certificates.clientCertificate,
      clientKeyPath: certificates.clientKey)
    try client.send("PING :v6")
    #expect(try client.readLine() == "PING :v6")

    let handler = try #require(await server.handler(0))
    let facts = try #require(await handler.ready.wait())
    #expect(facts.remoteAddress == "::1")
    #expect(facts.peerFingerprint == certificates.clientFingerprint)
  }

  @Test func plaintextEcho() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: nil)
    #expect(!server.listener.isTLS)
    let client = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    try client.send("NICK alice")
    try client.send("USER a 0 * :Alice")
    #expect(try client.readLine() == "NICK alice")
    #expect(try client.readLine() == "USER a 0 * :Alice")
    let handler = try #require(await server.handler(0))
    let facts = try #require(await handler.ready.wait())
    #expect(facts.tlsVersion == nil)
    #expect(client.tlsVersion == nil)
  }

  @Test func manyLinesSurvivePartialWritesAndCoalescing() async throws {
    let certificates = Certificates.shared
    let server = try EchoServer(host: "127.0.0.1", tls: try certificates.serverContext())
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    let lines = (0..<2000).map {
      "PRIVMSG #room :line \($0) " + String(repeating: "y", count: $0 % 300)
    }
    var batch: [UInt8] = []
    for line in lines { batch += Array(line.utf8) + [13, 10] }
    try client.sendRaw(batch)
    for line in lines {
      let received = try client.readLine()
      #expect(received == line)
      if received != line { break }
    }
  }

  @Test func closeAfterFlushDeliversTheLastLine() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: try Certificates.shared.serverContext())
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try client.send("quit")
    #expect(try client.readLine() == "bye")
    #expect(try client.readLine() == nil)
    #expect(client.isClosed)
    let handler = try #require(await server.handler(0))
    #expect(await handler.closed.wait() == .local)
  }

  @Test func silentClientIsClosedAfterHandshakeTimeout() async throws {
    let limits = ConnectionLimits(handshakeTimeout: .milliseconds(200))
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), limits: limits)
    let started = ContinuousClock.now
    let client = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    let handler = try #require(await server.handler(0))
    #expect(await handler.closed.wait(timeout: .seconds(5)) == .handshakeTimeout)
    #expect(ContinuousClock.now - started >= .milliseconds(190))
    #expect(handler.ready.current == nil)
    #expect(try client.readLine(timeout: .seconds(2)) == nil)
    #expect(client.isClosed)
  }

  /// Silent sockets that came at different times each close at their own handshake deadline,
  /// and a connection whose handshake finished is left alone past it.
  @Test func handshakeDeadlinesEndOnlyUnfinishedHandshakes() async throws {
    let limits = ConnectionLimits(handshakeTimeout: .milliseconds(300))
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), limits: limits)
    let talker = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    let talkerHandler = try #require(await server.handler(0))
    let started = ContinuousClock.now
    let first = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    let firstHandler = try #require(await server.handler(1))
    try await Task.sleep(for: .milliseconds(150))
    let second = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    let secondHandler = try #require(await server.handler(2))
    #expect(await firstHandler.closed.wait(timeout: .seconds(5)) == .handshakeTimeout)
    let firstClosed = ContinuousClock.now - started
    #expect(await secondHandler.closed.wait(timeout: .seconds(5)) == .handshakeTimeout)
    let secondClosed = ContinuousClock.now - started
    #expect(firstClosed >= .milliseconds(290))
    #expect(secondClosed >= .milliseconds(440), "the second socket's own deadline")
    try talker.send("still here")
    #expect(try talker.readLine() == "still here")
    #expect(talkerHandler.closed.current == nil)
    _ = (first, second)
  }

  @Test func slowReaderIsClosedWhileOthersStillGetEchoes() async throws {
    let limits = ConnectionLimits(sendQueueLimit: 256 * 1024)
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), limits: limits)
    let good = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try good.send("first")
    #expect(try good.readLine() == "first")
    let goodHandler = try #require(await server.handler(0))

    let slow = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    let slowHandler = try #require(await server.handler(1))
    _ = try #require(await slowHandler.ready.wait())
    try slow.send("flood")  // and never read

    try good.send("still there?")
    #expect(try good.readLine() == "still there?")
    #expect(await slowHandler.closed.wait(timeout: .seconds(20)) == .sendQueueExceeded)
    try good.send("after")
    #expect(try good.readLine() == "after")
    #expect(goodHandler.closed.current == nil)
    slow.close()
  }

  @Test func tls13IsDefaultAndTLS11IsRefused() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: try Certificates.shared.serverContext())
    let modern = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    #expect(modern.tlsVersion == "TLSv1.3")
    let tls12 = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none,
      maximumTLSVersion: .tls12)
    #expect(tls12.tlsVersion == "TLSv1.2")
    try tls12.send("twelve")
    #expect(try tls12.readLine() == "twelve")

    #expect(throws: TransportError.self) {
      _ = try BlockingLineClient(
        host: "127.0.0.1", port: server.port, tls: true, verification: .none,
        maximumTLSVersion: .tls11)
    }
    let refused = try #require(await server.handler(2))
    let reason = await refused.closed.wait()
    guard case .handshakeFailed = reason else {
      Issue.record("expected handshakeFailed, got \(String(describing: reason))")
      return
    }
  }

  @Test func plaintextClientOnTLSPortFailsHandshake() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: try Certificates.shared.serverContext())
    let client = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    try client.send("NICK alice")
    let handler = try #require(await server.handler(0))
    let reason = await handler.closed.wait()
    guard case .handshakeFailed = reason else {
      Issue.record("expected handshakeFailed, got \(String(describing: reason))")
      return
    }
  }

  @Test func listenerReportsBindErrors() throws {
    let first = try EchoServer(host: "127.0.0.1", tls: nil)
    let error = #expect(throws: TransportError.self) {
      try EchoServer(host: "127.0.0.1", tls: nil, port: first.port)
    }
    #expect(error?.errno == EADDRINUSE)
  }

  @Test func connectionIDsAreUniqueAndOrdered() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: nil)
    let a = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    let b = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    let first = try #require(await server.handler(0)?.ready.wait())
    let second = try #require(await server.handler(1)?.ready.wait())
    #expect(first.id < second.id)
    a.close()
    b.close()
  }

  @Test func dualStackListenerAcceptsIPv4AndIPv6() async throws {
    let server = try EchoServer(host: "::", tls: nil)
    let v4 = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: false)
    try v4.send("four")
    #expect(try v4.readLine() == "four")
    let first = try #require(await server.handler(0)?.ready.wait())
    #expect(first.remoteAddress == "127.0.0.1")
    let v6 = try BlockingLineClient(host: "::1", port: server.port, tls: false)
    try v6.send("six")
    #expect(try v6.readLine() == "six")
    let second = try #require(await server.handler(1)?.ready.wait())
    #expect(second.remoteAddress == "::1")
  }
}
