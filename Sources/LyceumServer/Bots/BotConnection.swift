import Dispatch
import LyceumCore
import LyceumProtocol
import LyceumTransport
import Synchronization

/// One connection to the bots' loopback listener: reads lines of `ACCOUNT:TOKEN TARGET TEXT`,
/// posts them one at a time through the hub (token check, then the core's `PRIVMSG` path) and
/// writes one answer line per line, in order: `OK <msgid>` or `ERROR <reason>`.
///
/// Bounds: a line is at most 510 bytes (the framer's IRC limit; a longer one is answered with
/// an error and skipped); at most `linesPerSecond` lines in any second are posted (the others
/// are answered with an error, not posted); at most `maxWaiting` lines wait for their turn,
/// past which the socket is not read until half of them are answered; a connection idle for
/// `idleTimeout` is closed. Lines wait for the one before to be answered, so a script's posts
/// keep their order and one connection has at most one token check and one post in flight.
///
/// `@unchecked Sendable`: every mutable field is touched only on the connection's serial queue
/// (the transport calls the handler there, and the hub hops there with `performOnQueue`),
/// except `isClosed`, an atomic the hub reads on its queue.
final class BotConnection: ConnectionHandler, @unchecked Sendable {
  /// The id of the core session this connection posts through, once a token is accepted.
  let clientID: ClientID
  private let hub: CoreHub
  private let settings: BotsListenerConfiguration
  private let onClose: @Sendable () -> Void
  private var framer = LineFramer(readQueueLimit: LineFramer.maxTagSectionBytes + 512)
  private var reader = BotAnswerReader()
  /// Lines in order, each to post or already refused (its answer waits for its turn).
  private var waiting: [Result<BotLine, BotLineError>] = []
  /// The label of the post whose answer is awaited.
  private var inFlight: String?
  private var labelCounter = 0
  /// When each of the last lines posted arrived, for `linesPerSecond`.
  private var recentPosts: [ContinuousClock.Instant] = []
  private var lastActivity = ContinuousClock.now
  private var inputEnded = false
  private var readingPaused = false
  /// Set when the connection closed; nothing is written after.
  private var closed = false
  /// Held strongly: the transport releases this handler after `connectionDidClose`, which
  /// ends the cycle.
  private let connection: Connection
  /// Set once the transport closed it; the hub then opens no session for it.
  let isClosed = Atomic<Bool>(false)

  /// Lines that may wait for their turn before the socket stops being read.
  static let maxWaiting = 64

  init(
    clientID: ClientID, connection: Connection, hub: CoreHub, settings: BotsListenerConfiguration,
    onClose: @escaping @Sendable () -> Void
  ) {
    self.clientID = clientID
    self.connection = connection
    self.hub = hub
    self.settings = settings
    self.onClose = onClose
  }

  func connectionDidBecomeReady(_ connection: Connection) {
    scheduleIdleCheck(after: settings.idleTimeout)
  }

  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer) {
    lastActivity = .now
    framer.append(contentsOf: bytes)
    while let event = framer.next() {
      switch event {
      case .line(let line): waiting.append(admit(BotLine.parse(line)))
      case .lineTooLong: waiting.append(.failure(.malformed("the line is longer than 510 bytes")))
      case .readQueueExceeded:
        connection.send(Array("ERROR the line has no end\n".utf8))
        connection.close(flushingFirst: true)
        return
      }
    }
    if waiting.count >= Self.maxWaiting, !readingPaused {
      readingPaused = true
      connection.pauseReading()
    }
    advance()
  }

  /// Applies the per-second bound to a parsed line.
  private func admit(_ parsed: Result<BotLine, BotLineError>) -> Result<BotLine, BotLineError> {
    guard case .success = parsed else { return parsed }
    let now = ContinuousClock.now
    recentPosts.removeAll { now - $0 >= .seconds(1) }
    guard recentPosts.count < settings.linesPerSecond else {
      return .failure(.malformed("too many lines: at most \(settings.linesPerSecond) a second"))
    }
    recentPosts.append(now)
    return parsed
  }

  /// Answers refused lines and submits the next post, while nothing is in flight.
  private func advance() {
    guard !closed else { return }
    while inFlight == nil, !waiting.isEmpty {
      switch waiting.removeFirst() {
      case .failure(let error):
        write("ERROR \(error.reason)")
      case .success(let line):
        labelCounter += 1
        let label = "b\(labelCounter)"
        inFlight = label
        hub.post(line, label: label, ip: connection.remoteAddress, from: self)
      }
    }
    if readingPaused, waiting.count <= Self.maxWaiting / 2 {
      readingPaused = false
      connection.resumeReading()
    }
    if inputEnded, inFlight == nil, waiting.isEmpty { connection.close(flushingFirst: true) }
  }

  private func write(_ answer: String) {
    guard !closed else { return }
    connection.send(Array((answer + "\n").utf8))
  }

  /// From the hub's queue: the answer to the post in flight, decided before it reached the
  /// core (a refused token).
  func answer(_ text: String) {
    connection.performOnQueue { [self] in
      guard inFlight != nil else { return }
      inFlight = nil
      write(text)
      advance()
    }
  }

  /// From the hub's queue: output of the core session; the answers in it end the post in
  /// flight.
  func receiveOutput(_ bytes: [UInt8]) {
    connection.performOnQueue { [self] in
      for (label, text) in reader.read(bytes) where label == inFlight {
        inFlight = nil
        write(text)
      }
      advance()
    }
  }

  /// From the hub's queue: the core ended the session (an operator's `KILL`, a revoked token,
  /// shutdown). The post in flight, if any, is answered with the reason, and the connection
  /// closes.
  func sessionEnded() {
    connection.performOnQueue { [self] in
      let reason = reader.closingReason ?? "the session was closed"
      if inFlight != nil { write("ERROR \(reason)") }
      inFlight = nil
      waiting.removeAll()
      connection.close(flushingFirst: true)
    }
  }

  /// `printf … | nc -N`: the lines read so far are answered, then the connection closes.
  func connectionShouldStayOpenAfterEndOfInput(_ connection: Connection) -> Bool {
    inputEnded = true
    advance()
    return true
  }

  func connectionDidClose(_ connection: Connection, reason: CloseReason) {
    isClosed.store(true, ordering: .sequentiallyConsistent)
    closed = true
    hub.botConnectionClosed(self)
    onClose()
  }

  /// Closes the connection once it has been idle (nothing read, nothing in flight) for
  /// `idleTimeout`; checks again when it has not.
  private func scheduleIdleCheck(after delay: Duration) {
    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(delay.nanosecondsClamped)) {
      [weak self] in
      guard let self, !isClosed.load(ordering: .relaxed) else { return }
      connection.performOnQueue { [self] in
        guard !closed else { return }
        let idle = ContinuousClock.now - lastActivity
        if inFlight == nil, waiting.isEmpty, idle >= settings.idleTimeout {
          write("ERROR idle for \(settings.idleTimeout); closing")
          connection.close(flushingFirst: true)
        } else {
          scheduleIdleCheck(after: max(.milliseconds(100), settings.idleTimeout - idle))
        }
      }
    }
  }
}
