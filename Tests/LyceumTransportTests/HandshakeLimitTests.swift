import Foundation
import LyceumClient
import LyceumTransport
import Testing

/// Each loop runs a bounded number of TLS handshakes at once; the others wait their turn.
@Suite struct HandshakeLimitTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func connectionsBeyondTheLimitWaitForASlotAndThenShakeHands() async throws {
    // A handshake timeout longer than any test run: only closing A may free its slot.
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(),
      limits: ConnectionLimits(handshakeTimeout: .seconds(600)),
      loops: IOLoopGroup(count: 1, handshakeLimit: 1))
    // A says nothing: it holds the only slot.
    var silent: BlockingLineClient? = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: false)
    let silentHandler = try #require(await server.handler(0))
    // B connects and leaves while it waits: its turn must pass the slot on.
    var leaving: BlockingLineClient? = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: false)
    let leavingHandler = try #require(await server.handler(1))
    leaving = nil
    // C waits for a slot.
    let shookHands = Signal<Bool>()
    let port = server.port
    let waiting = Thread {
      let client = try? BlockingLineClient(
        host: "127.0.0.1", port: port, tls: true, verification: .none, timeout: .seconds(120))
      shookHands.fulfill(client != nil)
    }
    waiting.start()
    // No event says "did not happen": give C a moment in which it must not get through.
    #expect(await shookHands.wait(timeout: .milliseconds(300)) == nil)
    silent = nil
    #expect(await silentHandler.closed.wait() != nil)
    #expect(await leavingHandler.closed.wait() != nil)
    // Generous: under a loaded test run, the steps above may take seconds.
    #expect(await shookHands.wait(timeout: .seconds(120)) == true)
    #expect(silent == nil && leaving == nil)
    // The slot is free again: a new client shakes hands at once.
    let later = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try later.send("later")
    #expect(try later.readLine() == "later")
  }
}

/// Silent sockets from one address take at most its share of the handshake slots.
@Suite struct HandshakeFairnessTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// A TCP connection from `source` (a loopback address) that never says anything.
  static func silentSocket(from source: String, to port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, source, &local.sin_addr)
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
    let bound = withUnsafePointer(to: &local) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    let connected = withUnsafePointer(to: &remote) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard fd >= 0, bound == 0, connected == 0 else {
      throw TransportError(operation: "silent socket", errno: errno, detail: "bind/connect")
    }
    return fd
  }

  @Test func oneAddressCannotHoldEverySlot() async throws {
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(),
      limits: ConnectionLimits(handshakeTimeout: .seconds(600)),
      loops: IOLoopGroup(count: 1, handshakeLimit: 4, handshakesPerAddress: 2))
    var silent: [Int32] = []
    defer { for fd in silent { close(fd) } }
    for index in 0..<6 {
      silent.append(try Self.silentSocket(from: "127.0.0.2", to: server.port))
      _ = try #require(await server.handler(index))
    }
    // Six silent sockets from 127.0.0.2 hold two slots; a client from 127.0.0.1 gets one.
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none,
      timeout: .seconds(20))
    try client.send("fair")
    #expect(try client.readLine(timeout: .seconds(20)) == "fair")
  }
}
