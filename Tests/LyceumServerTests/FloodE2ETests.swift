import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Flood and abuse limits over real TLS: the per-IP connection limit, the per-IP connection
/// and registration throttles, and command flood control (fakelag, then `Excess flood`).
/// Each test lifts the test server's exemption of 127.0.0.1 and sets small limits.
@Suite struct FloodE2ETests {
  /// A test server whose per-IP limits apply to 127.0.0.1.
  static func server(_ configure: (inout ServerConfiguration) -> Void) throws -> TestServer {
    try TestServer {
      $0.connections.exemptIPs = []
      configure(&$0)
    }
  }

  /// Reads the one `ERROR` a refused connection gets, and its close.
  static func refusal(_ client: TestClient) throws -> String {
    let lines = try client.expectClosed()
    let error = try #require(lines.last, "no ERROR before the close")
    #expect(error.command == "ERROR")
    #expect(lines.count == 1, "a refused connection gets one line: \(lines)")
    return error.trailing
  }

  @Test func perIPConnectionLimitRefusesTheNextUntilOneCloses() throws {
    let server = try Self.server { $0.connections.perIPLimit = 2 }
    defer { server.stop() }
    let first = try server.registered("first")
    let second = try server.connect(name: "second")
    let third = try server.connect(name: "third")
    #expect(
      try Self.refusal(third) == "Closing Link: 127.0.0.1 (Too many connections from your address)")
    try first.sync()
    second.connection.close()
    // The server learns of the close asynchronously; a new connection gets in soon after.
    let deadline = ContinuousClock.now + .seconds(5)
    while true {
      let fourth = try server.connect(name: "fourth")
      // Refused: the server's ERROR and close make sending or reading fail.
      if (try? fourth.register(nick: "fourth")) != nil { break }
      guard ContinuousClock.now < deadline else {
        throw fourth.failure("still refused after the second connection closed")
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  @Test func connectingTooFastIsRefusedWithTheWait() throws {
    let server = try Self.server {
      $0.connections.perIPRate = RateConfiguration(count: 2, window: .seconds(30))
    }
    defer { server.stop() }
    let first = try server.connect(name: "first")
    let second = try server.connect(name: "second")
    let third = try server.connect(name: "third")
    let text = try Self.refusal(third)
    #expect(text.hasPrefix("Closing Link: 127.0.0.1 (Connecting too fast; try again in "))
    #expect(text.hasSuffix(" seconds)"))
    try first.register(nick: "first")
    try second.register(nick: "second")
  }

  @Test func registeringTooFastIsRefused() throws {
    let server = try Self.server {
      $0.connections.registrationsPerIP = RateConfiguration(count: 1, window: .seconds(30))
    }
    defer { server.stop() }
    _ = try server.registered("first")
    let second = try server.connect(name: "second")
    try second.send("NICK second")
    try second.send("USER second 0 * :Second")
    let lines = try second.expectClosed()
    #expect(!lines.contains { $0.command == "001" })
    let error = try #require(lines.last)
    #expect(error.command == "ERROR")
    #expect(error.trailing.contains("(Registering too fast; try again in "))
  }

  @Test func commandsPastTheBurstAreDelayedInOrder() throws {
    let server = try Self.server {
      $0.flood.commandBurst = 5
      $0.flood.commandRate = 20
      $0.flood.commandQueue = 50
    }
    defer { server.stop() }
    let client = try server.registered("steady")
    Thread.sleep(forTimeInterval: 0.3)  // let the bucket fill again after registration
    let count = 25
    let burst = (0..<count).map { "NAMES #n\($0)\r\n" }.joined()
    let started = ContinuousClock.now
    try client.sendRaw(Array(burst.utf8), note: "\(count) NAMES in one write")
    var expected = 0
    try client.readUntil("the last 366") { message in
      guard message.command == "366" else { return false }
      #expect(message.params[1] == "#n\(expected)")
      expected += 1
      return expected == count
    }
    let elapsed = ContinuousClock.now - started
    // 20 commands past a burst of 5, at 20 per second: about a second.
    #expect(elapsed >= .milliseconds(800), "not delayed: \(elapsed)")
    try client.sync()
  }

  @Test func commandFloodIsDisconnectedWithExcessFlood() throws {
    let server = try Self.server {
      $0.flood.commandBurst = 5
      $0.flood.commandRate = 1
      $0.flood.commandQueue = 10
    }
    defer { server.stop() }
    let watcher = try server.registered("watcher")
    let flooder = try server.registered("flooder")
    try watcher.join("#room")
    try flooder.join("#room")
    let flood = (0..<40).map { "PRIVMSG #room :spam \($0)\r\n" }.joined()
    do {
      try flooder.sendRaw(Array(flood.utf8), note: "40 PRIVMSGs in one write")
    } catch {
      // The server may close before it has read every byte.
    }
    let lines = try flooder.expectClosed()
    let error = try #require(lines.last)
    #expect(error.command == "ERROR")
    #expect(error.trailing == "Closing Link: 127.0.0.1 (Excess flood)")
    let quit = try watcher.expect("QUIT") { $0.sourceNick == "flooder" }
    #expect(quit.trailing.contains("Excess flood"))
    let relayed = watcher.transcript.filter { $0.contains("PRIVMSG #room :spam") }
    #expect(relayed.count < 10, "only the burst got through: \(relayed.count)")
  }

  @Test func operatorsAreNotLimited() throws {
    let server = try Self.server {
      $0.flood.commandBurst = 3
      $0.flood.commandRate = 0.5
      $0.flood.commandQueue = 2
      $0.operators = [OperatorConfiguration(name: "op", password: "pw")]
    }
    defer { server.stop() }
    // NICK and USER took two of the three tokens; OPER takes the last.
    let oper = try server.registered("oper")
    try oper.send("OPER op pw")
    try oper.expect("381")
    let burst = (0..<30).map { "NAMES #n\($0)\r\n" }.joined()
    try oper.sendRaw(Array(burst.utf8), note: "30 NAMES in one write")
    try oper.readUntil("the last 366") { $0.command == "366" && $0.params[1] == "#n29" }
    try oper.sync()
  }
}
