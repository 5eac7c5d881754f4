import Foundation
import LyceumClient
import LyceumTransport
import Testing

@testable import LyceumServer

/// Past the connections the open-file limit allows, a new connection is closed at once, and
/// the ones already there go on; a closed connection frees its place.
@Suite struct ConnectionCapacityTests {
  @Test func connectionsPastTheCapacityAreClosedAtOnce() throws {
    let server = try TestServer()
    defer { server.stop() }
    server.server.connectionCapacity = 2
    let first = try server.registered("first")
    let second = try server.registered("second")
    let third = try BlockingLineClient(host: "127.0.0.1", port: server.plainPort, tls: false)
    try? third.send("NICK third")
    // Closed without a word: end of stream, or a reset since the NICK was never read.
    let answer = try? third.readLine(timeout: .seconds(5))
    #expect(answer == nil)
    #expect(third.isClosed || answer == nil)
    try first.send("PRIVMSG second :still here")
    _ = try second.readUntil("the message") { $0.command == "PRIVMSG" }
    try first.send("QUIT")
    _ = try first.expectClosed()
    // The place is free again once the transport has closed `first`; each refused attempt is
    // a full round trip, so a bounded number of attempts waits for that without sleeping.
    var registered = false
    for _ in 0..<500 where !registered {
      if let late = try? server.registered("late") {
        registered = true
        try late.send("QUIT")
      }
    }
    #expect(registered)
  }
}
