import LyceumTransport

struct BenchError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}

/// One IRC client of `server-kept`, used by one thread only: registers with `echo-message`,
/// joins the channel, then sends a `PRIVMSG` and waits for its echo, again and again.
final class KeptClient {
  let nick: String
  private let connection: BlockingLineClient
  private let timeout: Duration = .seconds(10)
  /// `PRIVMSG` lines of other clients received (the channel's fan-out).
  private(set) var received = 0

  init(host: String, port: Int, tls: Bool, nick: String) throws {
    self.nick = nick
    connection = try BlockingLineClient(host: host, port: port, tls: tls, timeout: .seconds(10))
  }

  deinit { connection.close() }

  /// Registers (with `PASS` when given), asks for `echo-message`, joins `channel` and waits
  /// until the join is done (a `PING` round trip after it).
  func register(password: String?, channel: String) throws {
    if let password { try connection.send("PASS \(password)") }
    try connection.send("CAP LS 302")
    try connection.send("CAP REQ :echo-message")
    try connection.send("NICK \(nick)")
    try connection.send("USER \(nick) 0 * :lyceum-bench")
    try readUntil("CAP ACK") { line in
      if line.contains(" CAP ") && line.contains(" NAK ") {
        throw BenchError("\(nick): the server refused echo-message")
      }
      return line.contains(" CAP ") && line.contains(" ACK ")
    }
    try connection.send("CAP END")
    try readUntil("001 (welcome)") { line in
      if line.contains(" 433 ") { throw BenchError("\(nick): nickname in use") }
      return numeric(of: line) == "001"
    }
    try connection.send("JOIN \(channel)")
    try connection.send("PING :ready")
    try readUntil("PONG after JOIN") { line in
      if let code = numeric(of: line), code.first == "4" {
        throw BenchError("\(nick): JOIN refused: \(line)")
      }
      return line.contains(" PONG ") && (line.hasSuffix(":ready") || line.hasSuffix(" ready"))
    }
  }

  /// Sends a message and waits for its echo until `deadline`; the echo latencies.
  func run(channel: String, text: String, until deadline: ContinuousClock.Instant) throws
    -> LatencySamples
  {
    var samples = LatencySamples()
    let ownPrefix = ":\(nick)!"
    var sequence = 0
    while ContinuousClock.now < deadline {
      sequence += 1
      let start = ContinuousClock.now
      try connection.send("PRIVMSG \(channel) :\(sequence) \(text)")
      try readUntil("echo of message \(sequence)") { line in
        guard line.contains(" PRIVMSG ") else { return false }
        if line.hasPrefix(ownPrefix) { return true }
        received += 1
        return false
      }
      samples.append(since: start)
    }
    return samples
  }

  /// Says goodbye; errors do not matter any more.
  func quit() {
    try? connection.send("QUIT :lyceum-bench done")
    connection.close()
  }

  /// Reads lines (answering `PING`) until `done` holds for one; throws on timeout, end of stream
  /// or `ERROR`.
  private func readUntil(_ what: String, _ done: (String) throws -> Bool) throws {
    let deadline = ContinuousClock.now + timeout
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero, let line = try connection.readLine(timeout: remaining) else {
        let why = connection.isClosed ? "connection closed" : "timed out"
        throw BenchError("\(nick): \(why) waiting for \(what)")
      }
      if line.hasPrefix("PING ") {
        try connection.send("PONG " + line.dropFirst(5))
        continue
      }
      if line.hasPrefix("ERROR ") { throw BenchError("\(nick): server said \(line)") }
      if try done(line) { return }
    }
  }
}

/// The three-digit command of a server line (`:server 001 nick …`), if it is a numeric.
private func numeric(of line: String) -> Substring? {
  let parts = line.split(separator: " ", maxSplits: 2)
  guard parts.count >= 2, parts[1].count == 3, parts[1].allSatisfy(\.isNumber) else { return nil }
  return parts[1]
}
