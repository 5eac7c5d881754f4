import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A client that writes its lines and closes its sending side (`printf … | nc -N`, the usual
/// way to script a bot) has every complete line run, then is closed by the server.
@Suite struct HalfCloseE2ETests {
  /// Writes `lines` on a plaintext socket, half-closes it, and reads to the server's EOF;
  /// returns what the server sent.
  private func script(_ lines: [String], port: Int) throws -> String {
    let socket = try StalledSocket(port: port)
    try socket.write(lines.map { $0 + "\r\n" }.joined())
    guard shutdown(socket.fd, Int32(SHUT_WR)) == 0 else {
      throw HarnessFailure(description: "shutdown: errno \(errno)")
    }
    var timeout = timeval(tv_sec: 15, tv_usec: 0)
    _ = setsockopt(
      socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(socket.fd, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      received += buffer[0..<count]
    }
    return String(decoding: received, as: UTF8.self)
  }

  private static let messages = (1...30).map { "PRIVMSG #lab :line \($0)" }

  private func expectAllThirty(at member: TestClient) throws {
    let seen = try member.readUntil(timeout: .seconds(15), "line 30") {
      $0.command == "PRIVMSG" && $0.trailing == "line 30"
    }
    let lines = seen.with("PRIVMSG").map(\.trailing)
    #expect(lines == (1...30).map { "line \($0)" })
  }

  @Test func aGuestThatHalfClosesHasAllItsLinesRunUnderFloodControl() throws {
    // Default flood control: 33 commands against a burst of 20, so some wait their turn.
    let server = try TestServer()
    defer { server.stop() }
    let member = try server.registered("member")
    try member.join("#lab")
    let output = try script(
      ["NICK poster", "USER poster 0 * :poster", "JOIN #lab"] + Self.messages,
      port: server.plainPort)
    try expectAllThirty(at: member)
    #expect(output.contains("ERROR :Closing Link"), "server output:\n\(output)")
  }

  @Test func aBotThatHalfClosesAfterATokenPassHasAllItsLinesRun() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      token = try AccountSeed.bot(directory, "bot", tokenName: "ci")
    })
    defer { server.stop() }
    let member = try server.registered("member")
    try member.join("#lab")
    // Everything after PASS waits for the token check, which is still running at the EOF.
    let output = try script(
      ["PASS bot:\(token)", "NICK bot", "USER bot 0 * :bot"] + Self.messages,
      port: server.plainPort)
    try expectAllThirty(at: member)
    #expect(output.contains(" 001 bot "), "server output:\n\(output)")
  }
}
