import LyceumCore
import LyceumProtocol
import LyceumTransport

/// The bridge between one transport connection and the core: frames and parses bytes on the
/// connection's own queue (so parsing runs in parallel across connections), then hands whole
/// batches of messages to the core's queue.
///
/// `@unchecked Sendable`: `framer` is touched only from the connection's serial queue, where
/// the transport calls every `ConnectionHandler` method.
final class ClientSession: ConnectionHandler, @unchecked Sendable {
  let clientID: ClientID
  private unowned let hub: CoreHub
  private var framer: LineFramer
  private var overflowed = false

  init(clientID: ClientID, hub: CoreHub, readQueueLimit: Int) {
    self.clientID = clientID
    self.hub = hub
    self.framer = LineFramer(readQueueLimit: readQueueLimit)
  }

  func connectionDidBecomeReady(_ connection: Connection) {
    hub.connectionReady(connection, clientID: clientID)
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
        connection.pauseReading()
        inputs.append(.flood)
      }
      if overflowed { break }
    }
    if !inputs.isEmpty { hub.receive(inputs, from: clientID) }
  }

  func connectionDidClose(_ connection: Connection, reason: CloseReason) {
    hub.connectionClosed(clientID, reason: reason)
  }
}

/// One unit of input for the core, decoded off the core's queue.
enum ClientInput: Sendable {
  case message(IRCMessage)
  case problem(InputProblem)
  /// The read queue overflowed: disconnect with `ERROR`.
  case flood

  /// Decodes a framed line. The UTF-8-only policy: a line that is not valid UTF-8 is refused
  /// whole with `FAIL <command> INVALID_UTF8`, and nothing of it is relayed.
  init(line: [UInt8]) {
    do {
      self = .message(try IRCMessage(parsing: line))
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
