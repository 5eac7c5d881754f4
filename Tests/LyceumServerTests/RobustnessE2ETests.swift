import Foundation
import LyceumClient
import LyceumProtocol
import LyceumTransport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Bad input, timeouts and slow readers: the server answers or drops the one client and keeps
/// serving the others.
@Suite struct RobustnessE2ETests {
  @Test func overlongLineGets417AndTheConnectionStaysUsable() throws {
    let server = try TestServer()
    defer { server.stop() }
    let client = try server.registered("longwinded")
    try client.send("PRIVMSG longwinded :" + String(repeating: "x", count: 600))
    let reply = try client.expect("417")
    #expect(reply.params.first == "longwinded")
    try client.sync()
    try client.join("#after")
    #expect(client.transcript.contains { $0.hasPrefix("<< ") && $0.contains("JOIN #after") })
  }

  /// 3000 commands in one write: the session pauses reading while more than its allowance of
  /// lines wait for the core, resumes as the core catches up, and loses or reorders nothing.
  @Test func pipelinedBurstIsAnsweredCompletelyAndInOrder() throws {
    let server = try TestServer()
    defer { server.stop() }
    let client = try server.registered("pipeliner")
    let count = 3000
    let burst = (0..<count).map { "PING burst-\($0)\r\n" }.joined()
    try client.sendRaw(Array(burst.utf8), note: "\(count) PINGs in one write")
    var expected = 0
    _ = try client.readUntil("PONG burst-\(count - 1)") { message in
      guard message.command == "PONG" else { return false }
      #expect(message.params.last == "burst-\(expected)")
      expected += 1
      return expected == count
    }
    #expect(expected == count)
  }

  @Test func readQueueFloodWithoutNewlineIsClosedWithError() throws {
    let server = try TestServer { $0.limits.readQueueBytes = 9000 }
    defer { server.stop() }
    let client = try server.registered("flooder")
    do {
      try client.sendRaw(
        Array(repeating: UInt8(ascii: "a"), count: 20000), note: "20000 x 'a', no newline")
    } catch {
      // The server may close before it has taken every byte; what matters is what it said.
    }
    let lines = try client.expectClosed()
    #expect(lines.last?.command == "ERROR", "expected ERROR before the close: \(lines)")
  }

  @Test func invalidUTF8IsRefusedAndNotRelayed() throws {
    let server = try TestServer()
    defer { server.stop() }
    let sender = try server.registered("badbytes")
    let listener = try server.registered("listener")
    try sender.join("#utf")
    try listener.join("#utf")
    try sender.sendRaw(
      Array("PRIVMSG #utf :bad ".utf8) + [0xC3, 0x28, 0xFF] + [13, 10],
      note: "PRIVMSG with invalid UTF-8")
    let fail = try sender.expect("FAIL")
    #expect(Array(fail.params.prefix(2)) == ["PRIVMSG", "INVALID_UTF8"])
    try sender.send("PRIVMSG #utf :good")
    let seen = try listener.readUntil("good") { $0.command == "PRIVMSG" }
    #expect(seen.last?.trailing == "good", "the invalid message was relayed: \(seen)")
  }

  @Test func tlsHandshakeTimeoutClosesSilentTCPClient() throws {
    let server = try TestServer { $0.timeouts.tlsHandshake = .milliseconds(300) }
    defer { server.stop() }
    // A plain TCP connection to the TLS port that never sends a ClientHello.
    let silent = try BlockingLineClient(host: "127.0.0.1", port: server.tlsPort, tls: false)
    let started = ContinuousClock.now
    let line = try? silent.readLine(timeout: .seconds(5))
    #expect(line == nil)
    #expect(silent.isClosed, "the server kept a silent TCP client past the handshake timeout")
    #expect(ContinuousClock.now - started < .seconds(4))
  }

  @Test func registrationTimeout() throws {
    let server = try TestServer { $0.timeouts.registration = .milliseconds(500) }
    defer { server.stop() }
    let client = try server.connect(name: "dawdler")
    try client.send("NICK dawdler")
    let lines = try client.expectClosed()
    let error = try #require(lines.last { $0.command == "ERROR" }, "no ERROR: \(lines)")
    #expect(error.trailing.lowercased().contains("registration"))
    #expect(!lines.contains { $0.command == "001" })
  }

  @Test func pingTimeout() throws {
    let server = try TestServer {
      // Generous enough that registration under a loaded machine does not trip it.
      $0.timeouts.pingInterval = .milliseconds(300)
      $0.timeouts.pingTimeout = .milliseconds(800)
    }
    defer { server.stop() }
    let client = try server.registered("sleepy")
    let ping = try client.expect("PING")
    #expect(ping.params.first == "test.lyceum.local")
    let lines = try client.expectClosed()
    let error = try #require(lines.last { $0.command == "ERROR" }, "no ERROR: \(lines)")
    #expect(error.trailing.lowercased().contains("ping timeout"))
  }

  @Test func pingAnsweredKeepsTheClient() throws {
    let server = try TestServer {
      $0.timeouts.pingInterval = .milliseconds(200)
      $0.timeouts.pingTimeout = .seconds(2)
    }
    defer { server.stop() }
    let client = try server.registered("awake")
    for _ in 0..<3 {
      let ping = try client.expect("PING")
      try client.send("PONG :\(ping.trailing)")
    }
    try client.sync()
  }

  @Test func slowReaderIsDroppedAndOthersKeepTalking() throws {
    let server = try TestServer {
      $0.limits.sendQueueBytes = 64 * 1024
      $0.flood.commandBurst = 1_000_000  // the talker floods on purpose
    }
    defer { server.stop() }
    let talker = try server.registered("talker")
    let watcher = try server.registered("watcher")
    try talker.join("#flood")
    try watcher.join("#flood")
    let slow = try StalledSocket(port: server.plainPort)
    try slow.write("NICK slowpoke\r\nUSER slowpoke 0 * :Slow\r\nJOIN #flood\r\n")
    try watcher.expect("JOIN") { $0.sourceNick == "slowpoke" }

    let line = "PRIVMSG #flood :" + String(repeating: "z", count: 400)
    var quit: IRCMessage?
    for round in 0..<200 where quit == nil {
      // 50 lines (20 KB) and a marker; the watcher reads up to the marker before the next
      // round, so its own queue never holds more than one round (well under 64 KB) however
      // slow the machine: only the reader that never reads can be dropped.
      let marker = "end of round \(round)"
      let chunk =
        Array(repeating: line, count: 50).joined(separator: "\r\n")
        + "\r\nPRIVMSG #flood :\(marker)\r\n"
      try talker.sendRaw(Array(chunk.utf8), note: "50 x 400-byte PRIVMSG (round \(round))")
      let seen = try watcher.readUntil(timeout: .seconds(30), marker) { $0.trailing == marker }
      quit = seen.first { $0.command == "QUIT" && $0.sourceNick == "slowpoke" }
    }
    let dropped =
      try quit ?? watcher.expect("QUIT", timeout: .seconds(5)) { $0.sourceNick == "slowpoke" }
    #expect(dropped.trailing.contains("SendQ exceeded"))
    try talker.sync()
    try talker.send("PRIVMSG #flood :after the drop")
    let after = try watcher.readUntil("after the drop") { $0.trailing == "after the drop" }
    #expect(after.last?.sourceNick == "talker")
  }
}

/// A plaintext TCP client with a tiny receive buffer that never reads: the server's send queue
/// to it can only grow.
final class StalledSocket {
  let fd: Int32

  init(port: Int) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessFailure(description: "socket: errno \(errno)") }
    var size: Int32 = 4096
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard rc == 0 else {
      close(fd)
      throw HarnessFailure(description: "connect: errno \(errno)")
    }
  }

  func write(_ text: String) throws {
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw HarnessFailure(description: "write: errno \(errno)") }
  }

  deinit { close(fd) }
}
