import Foundation
import Testing

@testable import LyceumServer

#if canImport(Glibc)
  import Glibc
#endif

/// Nothing the server accepted outlives its shutdown, and a start that fails leaves nothing
/// behind.
@Suite struct ServerLifetimeTests {
  /// Sockets that connect to the TLS port and never finish a handshake — silent ones (more
  /// than one address's share of handshake slots, so some wait for a slot, and more than the
  /// per-IP limit, so some are refused and wait to be told) and one that stopped after its
  /// ClientHello — are closed by the shutdown, long before their handshake timeout.
  @Test func connectionsStillInTheirHandshakeAreClosedAtShutdown() throws {
    let server = try TestServer { $0.timeouts.tlsHandshake = .seconds(120) }
    defer { server.stop() }
    // 127.0.0.7: away from 127.0.0.1, which is exempt from the per-IP limit and whose
    // handshake slots the other tests use.
    let silent = try (0..<20).map { _ in try RawSocket(from: "127.0.0.7", to: server.tlsPort) }
    let midHandshake = try RawSocket(from: "127.0.0.8", to: server.tlsPort)
    try midHandshake.write(try RawSocket.clientHello())
    // The server's first flight means it accepted this socket, and so (in accept order) every
    // silent one before it.
    #expect(!midHandshake.readSome(timeout: .seconds(10)).isEmpty)

    server.stop()

    #expect(midHandshake.seesEnd(within: .seconds(2)))
    for socket in silent { #expect(socket.seesEnd(within: .seconds(2))) }
    #expect(server.server.openConnectionCount == 0)
  }

  /// A second listener that cannot bind (its port is taken) fails the start, and the first
  /// listener's port is free again at once.
  @Test func aFailedStartClosesTheListenersItBound() throws {
    let taken = try ListeningSocket(port: 0)
    let first = try ListeningSocket(port: 0)
    let firstPort = first.port
    first.close()  // free for the server to take
    let directory = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = ServerConfiguration()
    configuration.dataDirectory = directory
    configuration.listeners = [
      .init(host: "127.0.0.1", port: firstPort, tls: false),
      .init(host: "127.0.0.1", port: taken.port, tls: false),
    ]
    let fixed = configuration
    let server = try LyceumServer(
      configurationLoader: { fixed }, logger: LogCapture().logger(label: "t", level: .critical))
    #expect(throws: (any Error).self) { try server.start() }
    // The failed server is still referenced: its parts were stopped, not merely released.
    #expect(throws: Never.self) { try ListeningSocket(port: firstPort).close() }
    withExtendedLifetime(server) {}
  }

  /// History's retention sweep (an hourly timer) stops with the server.
  @Test func theRetentionTimerIsCancelledAtShutdown() throws {
    let server = try TestServer()
    let timer = try #require(server.server.retentionTimer)
    #expect(!timer.isCancelled)
    server.stop()
    #expect(timer.isCancelled)
  }
}

/// A listening TCP socket on 127.0.0.1, to take a port away from the server or find a free one.
final class ListeningSocket {
  private var fd: Int32
  let port: Int

  init(port: Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard fd >= 0, bound else {
      let error = errno
      if fd >= 0 { Glibc.close(fd) }
      throw HarnessFailure(description: "bind 127.0.0.1:\(port): errno \(error)")
    }
    self.fd = fd
    self.port = Int(UInt16(bigEndian: address.sin_port))
  }

  func close() {
    if fd >= 0 { Glibc.close(fd) }
    fd = -1
  }

  deinit { close() }
}
