import Foundation
import LyceumClient
import LyceumProtocol
import LyceumTransport
import Testing

/// A blocking IRC client for end-to-end tests: a `BlockingLineClient` plus a transcript of
/// everything sent and received, and reads that wait up to a deadline and fail with that
/// transcript when what was expected does not arrive.
final class TestClient {
  let name: String
  let connection: BlockingLineClient
  /// `>> line` for what was sent, `<< line` for what was received.
  private(set) var transcript: [String] = []
  private var syncCounter = 0

  static let defaultTimeout: Duration = .seconds(5)

  /// Connects to `127.0.0.1:port`; with TLS, presents the client certificate when both paths
  /// are given.
  init(
    port: Int, tls: Bool, name: String, certificatePath: String? = nil, keyPath: String? = nil
  ) throws {
    self.name = name
    connection = try BlockingLineClient(
      host: "127.0.0.1", port: port, tls: tls, verification: .none,
      clientCertificatePath: certificatePath,
      clientKeyPath: keyPath)
  }

  deinit { connection.close() }

  var isClosed: Bool { connection.isClosed }

  // MARK: Sending

  func send(_ line: String) throws {
    transcript.append(">> \(line)")
    try connection.send(line)
  }

  func sendRaw(_ bytes: [UInt8], note: String) throws {
    transcript.append(">> [\(note)]")
    try connection.sendRaw(bytes)
  }

  // MARK: Reading

  /// The next parsed message, or nil at end of stream or when `timeout` passes.
  func next(timeout: Duration = defaultTimeout) throws -> IRCMessage? {
    while true {
      let line: String?
      do {
        line = try connection.readLine(timeout: timeout)
      } catch {
        transcript.append("!! read error: \(error)")
        return nil
      }
      guard let line else { return nil }
      transcript.append("<< \(line)")
      do {
        return try IRCMessage(parsing: line)
      } catch {
        throw failure("unparseable line from server: \(line) (\(error))")
      }
    }
  }

  /// Reads until `predicate` holds; returns every message read, the matching one last. Throws
  /// (with the transcript) if the deadline passes or the connection ends first.
  @discardableResult
  func readUntil(
    timeout: Duration = defaultTimeout, _ what: String = "the expected message",
    _ predicate: (IRCMessage) -> Bool
  ) throws -> [IRCMessage] {
    let deadline = ContinuousClock.now + timeout
    var seen: [IRCMessage] = []
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero, let message = try next(timeout: remaining) else {
        let why = isClosed ? "connection closed" : "timed out after \(timeout)"
        throw failure("waiting for \(what): \(why)")
      }
      seen.append(message)
      if predicate(message) { return seen }
    }
  }

  /// Reads until a message with `command` (and matching `predicate`) and returns it.
  @discardableResult
  func expect(
    _ command: String, timeout: Duration = defaultTimeout,
    where predicate: (IRCMessage) -> Bool = { _ in true }
  ) throws -> IRCMessage {
    let seen = try readUntil(timeout: timeout, command) {
      $0.command.uppercased() == command.uppercased() && predicate($0)
    }
    return seen[seen.count - 1]
  }

  /// Round-trips a `PING` and returns everything that arrived before its `PONG`: since the
  /// server handles one client's lines in order, whatever a previous command caused has arrived.
  @discardableResult
  func sync(timeout: Duration = defaultTimeout) throws -> [IRCMessage] {
    syncCounter += 1
    let token = "sync-\(syncCounter)"
    try send("PING \(token)")
    let seen = try readUntil(timeout: timeout, "PONG \(token)") {
      $0.command == "PONG" && $0.params.last == token
    }
    return Array(seen.dropLast())
  }

  /// Reads to the end of the stream (ignoring what arrives) and returns what was read; throws if
  /// the connection is still open at the deadline.
  @discardableResult
  func expectClosed(timeout: Duration = defaultTimeout) throws -> [IRCMessage] {
    let deadline = ContinuousClock.now + timeout
    var seen: [IRCMessage] = []
    while !isClosed {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { throw failure("expected the server to close the connection") }
      if let message = try next(timeout: remaining) { seen.append(message) }
    }
    return seen
  }

  // MARK: Registration

  /// Registers as `nick` (user name = nick), negotiating `caps` first if any, and waits until the
  /// welcome burst has arrived (`001`, then a PING round trip). Returns the messages seen.
  @discardableResult
  func register(nick: String, caps: [String] = []) throws -> [IRCMessage] {
    var seen: [IRCMessage] = []
    if !caps.isEmpty {
      try send("CAP LS 302")
      try send("CAP REQ :\(caps.joined(separator: " "))")
      seen += try readUntil("CAP ACK") {
        $0.command == "CAP" && $0.params.count > 2 && ["ACK", "NAK"].contains($0.params[1])
      }
      guard seen.last?.params[1] == "ACK" else { throw failure("CAP REQ was refused") }
    }
    try send("NICK \(nick)")
    try send("USER \(nick) 0 * :Test user \(nick)")
    if !caps.isEmpty { try send("CAP END") }
    seen += try readUntil("001") { $0.command == "001" }
    seen += try sync()
    return seen
  }

  /// Creates an account named after the current nick with `REGISTER * * <password>` and waits
  /// until the client is logged in to it. A channel this client then creates is a registered
  /// room, whose history outlives the channel.
  func registerAccount(password: String = "a-long-test-password") throws {
    try send("REGISTER * * \(password)")
    _ = try readUntil("REGISTER SUCCESS") {
      $0.command == "REGISTER" && $0.params.first == "SUCCESS"
    }
    try sync()
  }

  /// Joins `channel` and waits for the server's own JOIN echo and the names/topic that follow.
  @discardableResult
  func join(_ channel: String, key: String? = nil) throws -> [IRCMessage] {
    try send("JOIN \(channel)" + (key.map { " \($0)" } ?? ""))
    return try sync()
  }

  // MARK: Failures

  func failure(_ text: String) -> HarnessFailure {
    HarnessFailure(
      description: "[\(name)] \(text)\ntranscript of \(name):\n"
        + transcript.suffix(60).joined(separator: "\n"))
  }
}

extension IRCMessage {
  /// The value of tag `key`, nil when absent or valueless.
  func tagValue(_ key: String) -> String? {
    tag(key) ?? nil
  }

  /// The nick of the source, `nick!user@host` → `nick`.
  var sourceNick: String? {
    source.map { String($0.prefix { $0 != "!" }) }
  }

  /// The last parameter, or "".
  var trailing: String { params.last ?? "" }
}

extension [IRCMessage] {
  /// The messages with `command`.
  func with(_ command: String) -> [IRCMessage] { filter { $0.command == command } }
}
