import Foundation
import LyceumTransport
import Testing

/// Under load a loop writes to each connection at most once per `minimumDrainInterval`.
@Suite struct DrainIntervalTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func aLineRightAfterAWriteWaitsForTheInterval() async throws {
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(),
      loops: IOLoopGroup(count: 1, minimumDrainInterval: .milliseconds(300)))
    let client = try BlockingLineClient(host: "127.0.0.1", port: server.port, tls: true)
    try client.send("hello")
    #expect(try client.readLine() == "hello")
    let handler = try #require(await server.handler(0))
    let connection = try #require(await handler.connection.wait())
    Connection.send([(connection, Array("first\r\n".utf8))])
    #expect(try client.readLine() == "first")
    let firstArrived = ContinuousClock.now
    Connection.send([(connection, Array("second\r\n".utf8))])
    #expect(try client.readLine() == "second")
    // Only a lower bound: a loaded machine can make it later, never earlier.
    #expect(ContinuousClock.now - firstArrived >= .milliseconds(200))
  }
}
