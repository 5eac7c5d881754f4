/// One IRC client of `server-kept`, used by one thread only: registers with `echo-message`,
/// joins the channel, then sends a `PRIVMSG` and waits for its echo, again and again.
final class KeptClient {
  private let connection: BenchIRCConnection
  /// `PRIVMSG` lines of other clients received (the channel's fan-out).
  private(set) var received = 0

  var nick: String { connection.nick }

  init(host: String, port: Int, tls: Bool, nick: String) throws {
    connection = try BenchIRCConnection(
      host: host, port: port, tls: tls, nick: nick, timeout: .seconds(10))
  }

  /// Registers (with `PASS` when given), asks for `echo-message`, joins `channel` and waits
  /// until the join is done (a `PING` round trip after it).
  func register(password: String?, channel: String) throws {
    try connection.register(
      password: password, capabilities: "echo-message", realname: "lyceum-bench")
    try connection.send("JOIN \(channel)")
    try connection.send("PING :ready")
    try connection.readUntil("PONG after JOIN") { line in
      if IRCLineWords(line).command.first == "4" {
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
      try connection.readUntil("echo of message \(sequence)") { line in
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
    connection.quit()
  }
}
