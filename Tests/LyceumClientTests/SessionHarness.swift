import LyceumClient
import LyceumProtocol

/// Drives an `IRCSession` with server lines and collects what it sends, with a manual clock.
struct SessionHarness {
  var session: IRCSession
  var sent: [String] = []
  var events: [SessionEvent] = []
  var now: Int64 = 1_764_000_000_000

  init(_ configuration: SessionConfiguration) {
    session = IRCSession(configuration: configuration)
    record(session.connectionOpened(now: now))
  }

  mutating func record(_ output: [SessionEvent]) {
    for event in output {
      if case .send(let line) = event { sent.append(line) } else { events.append(event) }
    }
  }

  /// Feeds server lines; returns what the session sent in answer.
  @discardableResult
  mutating func server(_ lines: String...) -> [String] {
    let before = sent.count
    for line in lines { record(session.receive(line: line, now: now)) }
    return Array(sent[before...])
  }

  /// Types on the input line; returns what was sent.
  @discardableResult
  mutating func type(_ text: String) -> [String] {
    let before = sent.count
    record(session.input(text, now: now))
    return Array(sent[before...])
  }

  /// Registers with the usual capabilities and no login.
  mutating func register(nick: String = "ada", caps: String = Self.allCaps) {
    server(":srv CAP * LS :\(caps)")
    server(":srv CAP \(nick) ACK :\(sent.last!.dropFirst("CAP REQ :".count))")
    server(
      ":srv 001 \(nick) :Welcome", ":srv 005 \(nick) CHATHISTORY=100 :are supported")
  }

  static let allCaps =
    "batch draft/chathistory draft/read-marker echo-message labeled-response "
    + "lyceum.chat/threads message-tags sasl=PLAIN,EXTERNAL,SCRAM-SHA-256 server-time"

  /// `time` tag text for `seconds` after a fixed base.
  static func at(_ seconds: Int) -> String {
    formatServerTime(1_764_000_000_000 + Int64(seconds) * 1000)
  }

  var active: ChatBuffer { session.buffers.active }

  func buffer(_ name: String) -> ChatBuffer? { session.buffers[BufferKey(target: name)] }
}
