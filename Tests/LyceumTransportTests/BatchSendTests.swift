import Foundation
import LyceumClient
import LyceumTransport
import Testing

/// `Connection.send(_:)` with a batch: the server's fan-out path.
@Suite struct BatchSendTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// Opens `count` TLS clients to `server` and returns them with their server-side connections.
  private func connect(_ count: Int, to server: EchoServer) async throws -> (
    [BlockingLineClient], [Connection]
  ) {
    var clients: [BlockingLineClient] = []
    var connections: [Connection] = []
    for index in 0..<count {
      let client = try BlockingLineClient(
        host: "127.0.0.1", port: server.port, tls: true, verification: .none)
      try client.send("hello \(index)")
      #expect(try client.readLine() == "hello \(index)")
      let handler = try #require(await server.handler(index))
      connections.append(try #require(await handler.connection.wait()))
      clients.append(client)
    }
    return (clients, connections)
  }

  @Test func batchesInterleavedWithSendsArriveInCallOrderOnEveryLoop() async throws {
    let loops = IOLoopGroup(count: 2)
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), loops: loops)
    let (clients, connections) = try await connect(3, to: server)
    // Round-robin over two loops: the three connections are on both of them.
    #expect(Set(connections.map { ObjectIdentifier($0.loop) }).count == 2)
    let rounds = 300
    for round in 0..<rounds {
      connections[round % 3].send(Array("direct \(round)\r\n".utf8))
      Connection.send(connections.map { ($0, Array("batch \(round)\r\n".utf8)) })
    }
    for (index, client) in clients.enumerated() {
      for round in 0..<rounds {
        if round % 3 == index { #expect(try client.readLine() == "direct \(round)") }
        #expect(try client.readLine() == "batch \(round)")
      }
    }
  }

  @Test func sharedLinesInterleavedWithOwnLinesKeepEachConnectionsOrder() async throws {
    // One buffer for several recipients becomes a run in `OutputBatch`; a recipient's own
    // line between them must not be reordered around the run.
    let loops = IOLoopGroup(count: 2)
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), loops: loops)
    let (clients, connections) = try await connect(4, to: server)
    var batch = OutputBatch()
    let shared = Array("shared one\r\n".utf8)
    for connection in connections { batch.append(shared, to: connection) }
    batch.append(Array("own of 1\r\n".utf8), to: connections[1])
    let second = Array("shared two\r\n".utf8)
    for connection in connections.reversed() { batch.append(second, to: connection) }
    // Equal bytes in another buffer are a separate write, not part of the run.
    batch.append(Array("shared two\r\n".utf8), to: connections[0])
    batch.send()
    #expect(batch.isEmpty)
    for (index, client) in clients.enumerated() {
      #expect(try client.readLine() == "shared one")
      if index == 1 { #expect(try client.readLine() == "own of 1") }
      #expect(try client.readLine() == "shared two")
      if index == 0 { #expect(try client.readLine() == "shared two") }
    }
    #expect(try clients[0].readLine(timeout: .milliseconds(200)) == nil)
  }

  @Test func batchToAClosedConnectionIsDroppedAndOthersStillGetTheirs() async throws {
    let server = try EchoServer(host: "127.0.0.1", tls: try Certificates.shared.serverContext())
    let (clients, connections) = try await connect(2, to: server)
    let closedHandler = try #require(await server.handler(1))
    connections[1].close(flushingFirst: false)
    #expect(await closedHandler.closed.wait() == .local)
    Connection.send(connections.map { ($0, Array("after\r\n".utf8)) })
    #expect(try clients[0].readLine() == "after")
    #expect(try clients[1].readLine(timeout: .seconds(2)) == nil)
  }

  @Test func batchPastTheSendQueueLimitClosesTheConnection() async throws {
    var limits = ConnectionLimits()
    limits.sendQueueLimit = 4096
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), limits: limits)
    let (clients, connections) = try await connect(1, to: server)
    let handler = try #require(await server.handler(0))
    Connection.send([(connections[0], [UInt8](repeating: UInt8(ascii: "x"), count: 5000))])
    #expect(await handler.closed.wait() == .sendQueueExceeded)
    // Dropped without close_notify: the client sees the end or a TLS error, never the bytes.
    let after = (try? clients[0].readLine(timeout: .seconds(2))) ?? nil
    #expect(after == nil)
  }
}

/// The write source is made only when a write first blocks; the bytes must still all arrive.
@Suite struct BlockedWriteTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test(arguments: [false, true])
  func writesThatBlockAreFinishedOnceTheClientReads(tls: Bool) async throws {
    var limits = ConnectionLimits()
    limits.sendQueueLimit = 64 << 20
    let server = try EchoServer(
      host: "127.0.0.1", tls: tls ? try Certificates.shared.serverContext() : nil,
      limits: limits)
    let client = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: tls, verification: .none)
    try client.send("hello")
    #expect(try client.readLine() == "hello")
    let handler = try #require(await server.handler(0))
    let connection = try #require(await handler.connection.wait())
    // 16 MiB, more than the loopback socket buffers of both ends hold, sent while the client
    // reads nothing: the server's writes block, and only the write source can finish them.
    let line = String(repeating: "z", count: 4094)
    let lines = 4096
    for _ in 0..<lines { connection.send(Array(line.utf8) + [13, 10]) }
    connection.send(Array("end\r\n".utf8))
    for index in 0..<lines {
      let received = try client.readLine()
      #expect(received == line)
      if received != line {
        Issue.record("line \(index) differs")
        break
      }
    }
    #expect(try client.readLine() == "end")
  }
}
