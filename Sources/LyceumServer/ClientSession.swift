import LyceumCore
import LyceumProtocol
import LyceumTransport
import Synchronization

/// The bridge between one transport connection and the core: frames and parses bytes on the
/// connection's own queue (so parsing runs in parallel across connections), then hands whole
/// batches of messages to the core's queue.
///
/// Backpressure: when more than `maxLinesInFlight` lines wait for the core, the session stops
/// reading the socket (TCP then slows the sender) until the core has caught up to half of that,
/// so a client pipelining commands faster than the core runs them costs bounded memory.
///
/// `@unchecked Sendable`: `framer`, `overflowed`, `holdPaused` and `transportPaused` are touched
/// only from the connection's
/// serial queue, where the transport calls every `ConnectionHandler` method. `readingPaused` is
/// written only there too (it is atomic so the core's queue can read it cheaply); the line
/// count is an atomic shared with the core's queue.
final class ClientSession: ConnectionHandler, @unchecked Sendable {
  static let maxLinesInFlight = 256

  let clientID: ClientID
  /// Strong: the transport may call this session after the server let go of the hub (a
  /// handshake ending late). The cycle through the hub's `sessions` ends when the connection
  /// closes, which `shutdown` makes sure of (see `ConnectionRegistry`).
  private let hub: CoreHub
  private var framer: LineFramer
  private var overflowed = false
  private let linesInFlight = Atomic<Int>(0)
  private let readingPaused = Atomic<Bool>(false)
  /// Too much output is held for this connection behind history commits (see `OutputHolds`).
  private var holdPaused = false
  /// Whether the transport's reading is paused now, for any of the reasons.
  private var transportPaused = false

  /// Called once when the connection closes (the server releases its per-IP count).
  private let onClose: @Sendable () -> Void

  init(
    clientID: ClientID, hub: CoreHub, readQueueLimit: Int,
    onClose: @escaping @Sendable () -> Void = {}
  ) {
    self.clientID = clientID
    self.hub = hub
    self.onClose = onClose
    self.framer = LineFramer(readQueueLimit: readQueueLimit)
  }

  func connectionDidBecomeReady(_ connection: Connection) {
    hub.connectionReady(connection, session: self)
  }

  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer) {
    guard !overflowed else { return }
    framer.append(bytes)
    var inputs: [ClientInput] = []
    while let event = framer.next() {
      switch event {
      case .line(let line):
        inputs.append(ClientInput(line: line))
      case .lineTooLong:
        inputs.append(.problem(.tooLong))
      case .readQueueExceeded:
        overflowed = true
        applyPause(connection)
        inputs.append(.flood)
      }
      if overflowed { break }
    }
    guard !inputs.isEmpty else { return }
    let waiting = linesInFlight.add(inputs.count, ordering: .relaxed).newValue
    if waiting > Self.maxLinesInFlight && !readingPaused.load(ordering: .relaxed) {
      readingPaused.store(true, ordering: .relaxed)
      applyPause(connection)
    }
    hub.receive(inputs, from: self, connection: connection)
  }

  /// Called on the core's queue once `count` lines from this session have been handled. The
  /// decision to resume is taken on the connection's queue, like the decision to pause, so
  /// the two can never cross (a crossed pair would leave the connection paused for good).
  func linesHandled(_ count: Int, connection: Connection) {
    let waiting = linesInFlight.subtract(count, ordering: .relaxed).newValue
    guard waiting <= Self.maxLinesInFlight / 2, readingPaused.load(ordering: .relaxed) else {
      return
    }
    connection.performOnQueue { [self] in
      guard readingPaused.load(ordering: .relaxed), !overflowed,
        linesInFlight.load(ordering: .relaxed) <= Self.maxLinesInFlight / 2
      else { return }
      readingPaused.store(false, ordering: .relaxed)
      applyPause(connection)
    }
  }

  /// Called on the core's queue when the output held for this connection behind history
  /// commits passes its bound (`true`) or falls back to half of it.
  func holdPressure(_ on: Bool, _ connection: Connection) {
    connection.performOnQueue { [self] in
      holdPaused = on
      applyPause(connection)
    }
  }

  /// On the connection's queue: pauses or resumes reading to match the reasons to pause.
  private func applyPause(_ connection: Connection) {
    let wanted = overflowed || holdPaused || readingPaused.load(ordering: .relaxed)
    guard wanted != transportPaused else { return }
    transportPaused = wanted
    if wanted { connection.pauseReading() } else { connection.resumeReading() }
  }

  /// The client half-closed (`printf … | nc -N`): every complete line read before runs, then
  /// the core closes the connection (see `IRCServerCore.inputEnded`).
  func connectionShouldStayOpenAfterEndOfInput(_ connection: Connection) -> Bool {
    guard !overflowed else { return false }
    hub.inputEnded(clientID)
    return true
  }

  func connectionDidClose(_ connection: Connection, reason: CloseReason) {
    hub.connectionClosed(clientID, reason: reason)
    onClose()
    if reason == .sendQueueExceeded { MemoryPolicy.releaseFreedMemorySoon() }
  }
}

/// One unit of input for the core, decoded off the core's queue.
enum ClientInput: Sendable {
  case message(IRCMessage)
  case problem(InputProblem)
  /// The read queue overflowed: disconnect with `ERROR`.
  case flood
  /// A line of spaces only: skipped like an empty line.
  case ignored

  /// Decodes a framed line. The UTF-8-only policy: a line that is not valid UTF-8 is refused
  /// whole with `FAIL <command> INVALID_UTF8`, and nothing of it is relayed.
  init(line: [UInt8]) {
    do {
      self = .message(try IRCMessage(parsing: line))
    } catch .empty {
      self = .ignored
    } catch .invalidUTF8 {
      self = .problem(.invalidUTF8(command: Self.commandWord(of: line)))
    } catch {
      self = .problem(.malformed)
    }
  }

  /// The command word of a raw line (after optional tags and source), if it is plain ASCII.
  private static func commandWord(of line: [UInt8]) -> String? {
    var words = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)[...]
    if let first = words.first, first.first == UInt8(ascii: "@") { words = words.dropFirst() }
    if let first = words.first, first.first == UInt8(ascii: ":") { words = words.dropFirst() }
    guard let word = words.first, word.count <= 32,
      word.allSatisfy({
        ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39)
      })
    else { return nil }
    return String(decoding: word, as: UTF8.self).uppercased()
  }
}
