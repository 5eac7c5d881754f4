import Foundation
import LyceumClient
import LyceumTransport
import Testing

/// A loop busy with fan-out writes to each connection at most once per
/// `minimumDrainInterval`; a quiet one writes at once.
@Suite struct DrainIntervalTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// A connected TLS client and its server-side connection on a one-loop group.
  private func connect(_ loops: IOLoopGroup) async throws -> (
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

  @Test func onABusyLoopALineRightAfterAWriteWaitsForTheInterval() async throws {
    // Every drain counts as busy here (one connection is enough).
    let (server, client, connection) = try await connect(
      IOLoopGroup(count: 1, minimumDrainInterval: .milliseconds(300), busyDrainSize: 1))
    Connection.send([(connection, Array("first\r\n".utf8))])
    #expect(try client.readLine() == "first")
    let firstArrived = ContinuousClock.now
    Connection.send([(connection, Array("second\r\n".utf8))])
    #expect(try client.readLine() == "second")
    // Only a lower bound: a loaded machine can make it later, never earlier.
    #expect(ContinuousClock.now - firstArrived >= .milliseconds(200))
    withExtendedLifetime(server) {}
  }

  @Test func onAQuietLoopAnswersGoOutAtOnce() async throws {
    // An interval longer than the client waits: were it applied, the reads would time out.
    let (server, client, connection) = try await connect(
      IOLoopGroup(count: 1, minimumDrainInterval: .seconds(60)))
    for round in 0..<20 {
      Connection.send([(connection, Array("answer \(round)\r\n".utf8))])
      #expect(try client.readLine(timeout: .seconds(10)) == "answer \(round)")
    }
    withExtendedLifetime(server) {}
  }
}
