/// Runs an `IRCSession` over a `BlockingLineClient` on the calling thread: for the one-shot
/// subcommands (`lyceum post`, `tail`, `history`, `register`) and for tests, which wait for a
/// moment (registered, joined, a label answered) and act.
public final class BlockingSessionRunner {
  public var session: IRCSession
  public let connection: BlockingLineClient
  /// Every event seen so far, in order (lines sent are not included).
  public private(set) var events: [SessionEvent] = []
  /// Sees every raw line in both directions (`>> ` sent, `<< ` received), for `--debug`.
  public var trace: ((String) -> Void)?
  private let clock: () -> Int64

  /// Takes over `connection` and sends the session's opening lines.
  public init(
    session: IRCSession, connection: BlockingLineClient, clock: @escaping () -> Int64
  ) throws {
    self.session = session
    self.connection = connection
    self.clock = clock
    try perform(self.session.connectionOpened(now: clock()))
  }

  /// Sends what `output` asks to send and remembers its other events. Returns the events.
  @discardableResult
  public func perform(_ output: [SessionEvent]) throws -> [SessionEvent] {
    var others: [SessionEvent] = []
    for event in output {
      if case .send(let line) = event {
        trace?(">> \(Self.redacted(line))")
        try connection.send(line)
      } else {
        others.append(event)
      }
    }
    events += others
    return others
  }

  /// `line` with its secrets replaced by `***` (SASL payloads, `PASS`, the password of
  /// `REGISTER`), for `--debug` output that may end up in a cron log.
  public static func redacted(_ line: String) -> String {
    let words = line.split(separator: " ", omittingEmptySubsequences: false)
    guard let command = words.first?.uppercased() else { return line }
    switch command {
    case "AUTHENTICATE"
    where words.count > 1 && !["+", "*", "PLAIN", "EXTERNAL", "SCRAM-SHA-256"].contains(words[1]):
      return "AUTHENTICATE ***"
    case "PASS": return "PASS ***"
    case "REGISTER" where words.count > 3:
      return words.prefix(3).joined(separator: " ") + " ***"
    default: return line
    }
  }

  /// Reads and handles server lines until an event satisfies `predicate` (returned), the
  /// connection closes, or `timeout` passes (nil). `afterLine` runs after each line is
  /// handled (`tail` prints what arrived).
  public func run(
    timeout: Duration, afterLine: () -> Void = {},
    until predicate: (SessionEvent) -> Bool
  ) throws -> SessionEvent? {
    let deadline = ContinuousClock.now + timeout
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero, let line = try connection.readLine(timeout: remaining) else {
        return nil
      }
      trace?("<< \(line)")
      let output = session.receive(line: line, now: clock())
      let events = try perform(output)
      afterLine()
      for event in events where predicate(event) { return event }
    }
  }

  /// Runs until registration completes; throws `ClientFailure` for a refused login or a
  /// closed link, so a script can tell.
  public func waitUntilRegistered(timeout: Duration) throws {
    let event = try run(timeout: timeout) { event in
      switch event {
      case .registered, .loginFailed, .closedByServer: return true
      default: return false
      }
    }
    switch event {
    case .registered: return
    case .loginFailed(let reason): throw ClientFailure.login(reason)
    case .closedByServer(let reason): throw ClientFailure.closed(reason)
    default: throw ClientFailure.timeout("registration")
    }
  }

  /// Joins `channel` and waits until in it; throws `ClientFailure.join` when refused.
  public func join(_ channel: String, timeout: Duration) throws {
    try perform([.send("JOIN \(channel)")])
    let event = try run(timeout: timeout) { event in
      switch event {
      case .joined(let name), .joinFailed(let name, _):
        return IRCSession.caseMapping.equals(name, channel)
      case .closedByServer: return true
      default: return false
      }
    }
    switch event {
    case .joined: return
    case .joinFailed(_, let reason): throw ClientFailure.join(channel, reason)
    case .closedByServer(let reason): throw ClientFailure.closed(reason)
    default: throw ClientFailure.timeout("JOIN \(channel)")
    }
  }

  /// Sends a message and waits for the server to accept it (its echo or `ACK`) or refuse it.
  public func post(to target: String, text: String, replyTo: String?, timeout: Duration) throws {
    let output = session.message(to: target, text: text, replyTo: replyTo, now: clock())
    guard case .send(let line)? = output.first, line.hasPrefix("@label=") else {
      // Without labels there is no answer to wait for; a refusal shows as an error numeric.
      try perform(output)
      return
    }
    let label = String(line.dropFirst(7).prefix { $0 != ";" && $0 != " " })
    try perform(output)
    let event = try run(timeout: timeout) { event in
      if case .labelAnswered(let answered, _, _) = event { return answered == label }
      if case .closedByServer = event { return true }
      return false
    }
    switch event {
    case .labelAnswered(_, true, _): return
    case .labelAnswered(_, false, let reason): throw ClientFailure.refused(target, reason)
    case .closedByServer(let reason): throw ClientFailure.closed(reason)
    default: throw ClientFailure.timeout("PRIVMSG \(target)")
    }
  }

  /// Sends `QUIT` and waits briefly for the server to close.
  public func quit(_ reason: String = "bye") {
    try? connection.send("QUIT :\(reason)")
    _ = try? run(timeout: .seconds(2)) { _ in false }
    connection.close()
  }
}

/// Why a one-shot command failed; its message is what the user reads on stderr.
public enum ClientFailure: Error, CustomStringConvertible, Equatable {
  case login(String)
  case join(String, String)
  case refused(String, String)
  case closed(String)
  case timeout(String)

  public var description: String {
    switch self {
    case .login(let reason): return "login failed: \(reason)"
    case .join(let channel, let reason): return "cannot join \(channel): \(reason)"
    case .refused(let target, let reason): return "message to \(target) refused: \(reason)"
    case .closed(let reason): return "the server closed the connection: \(reason)"
    case .timeout(let what): return "no answer from the server (\(what))"
    }
  }
}
