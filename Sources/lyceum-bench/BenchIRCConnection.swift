import LyceumClient
import LyceumTransport

struct BenchError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}

/// A blocking IRC connection for the bench's clients that run on one thread each
/// (`server-kept`, `history-query`): registration with capabilities, reading until a line
/// matches (answering `PING` on the way), and a quiet `QUIT`.
final class BenchIRCConnection {
  let nick: String
  private let connection: BlockingLineClient
  /// How long `readUntil` waits for its line.
  private let timeout: Duration

  init(host: String, port: Int, tls: Bool, nick: String, timeout: Duration) throws {
    self.nick = nick
    self.timeout = timeout
    connection = try BlockingLineClient(
      host: host, port: port, tls: tls, verification: .none, timeout: .seconds(10))
  }

  deinit { connection.close() }

  func send(_ line: String) throws {
    try connection.send(line)
  }

  /// Registers (with `PASS` when given), asking for `capabilities` (space-separated), all of
  /// which the server must acknowledge; returns once `001` has come.
  func register(password: String?, capabilities: String, realname: String) throws {
    if let password { try send("PASS \(password)") }
    try send("CAP LS 302")
    try send("CAP REQ :\(capabilities)")
    try send("NICK \(nick)")
    try send("USER \(nick) 0 * :\(realname)")
    try readUntil("CAP ACK") { line in
      let words = IRCLineWords(line)
      guard words.command == "CAP" else { return false }
      if words.parameter(1) == "NAK" {
        throw BenchError("\(nick): the server refused \(capabilities)")
      }
      return words.parameter(1) == "ACK"
    }
    try send("CAP END")
    try readUntil("001 (welcome)") { line in
      let command = IRCLineWords(line).command
      if command == "433" { throw BenchError("\(nick): nickname in use") }
      return command == "001"
    }
  }

  /// Reads lines (answering `PING`) until `done` holds for one; throws on timeout, end of stream
  /// or `ERROR`.
  func readUntil(_ what: String, _ done: (String) throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero, let line = try connection.readLine(timeout: remaining) else {
        let why = connection.isClosed ? "connection closed" : "timed out"
        throw BenchError("\(nick): \(why) waiting for \(what)")
      }
      if line.hasPrefix("PING ") {
        try send("PONG " + line.dropFirst(5))
        continue
      }
      if line.hasPrefix("ERROR ") { throw BenchError("\(nick): server said \(line)") }
      if try done(line) { return }
    }
  }

  /// Says goodbye; errors do not matter any more.
  func quit() {
    try? send("QUIT :lyceum-bench done")
    connection.close()
  }
}
