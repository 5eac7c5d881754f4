import LyceumCore
import LyceumTransport

/// The one IRC client of `history-query`, used by one thread only: registers with the
/// capabilities a history-reading client asks for, joins the room, then sends `CHATHISTORY`
/// requests one at a time and reads each answer to the end of its batch.
final class HistoryClient {
  /// What one `CHATHISTORY` request got back.
  struct Answer {
    /// `PRIVMSG` and `NOTICE` lines in the batch.
    var messages = 0
    /// The `time` tag of the first and the last of them (milliseconds), if any.
    var firstTime: Int64?
    var lastTime: Int64?
  }

  static let capabilities = "batch server-time message-tags draft/chathistory"

  private let connection: BenchIRCConnection

  var nick: String { connection.nick }

  init(host: String, port: Int, tls: Bool, nick: String) throws {
    connection = try BenchIRCConnection(
      host: host, port: port, tls: tls, nick: nick, timeout: .seconds(30))
  }

  /// Registers (with `PASS` when given) with `capabilities`, all of which the server must
  /// acknowledge.
  func register(password: String?) throws {
    try connection.register(
      password: password, capabilities: Self.capabilities, realname: "lyceum-bench history-query")
  }

  /// Joins `channel` and reads past the join burst: its end is the end of the names list (366).
  func join(_ channel: String) throws {
    try connection.send("JOIN \(channel)")
    try connection.readUntil("366 (end of NAMES) after JOIN") { line in
      let command = IRCLineWords(line).command
      if command.first == "4" { throw BenchError("\(nick): JOIN refused: \(line)") }
      return command == "366"
    }
  }

  /// Sends `CHATHISTORY <arguments>` and reads the answer up to the line that closes its
  /// batch (`BATCH -<id>`); `FAIL CHATHISTORY …` throws.
  ///
  /// Without `draft/event-playback` every line of the batch is a `PRIVMSG` or `NOTICE`, and
  /// Lyceum puts the `batch` tag first: a line starting `@batch=<id>;` is counted without
  /// being parsed, so that the client's own work stays small in the time measured. Any other
  /// line is parsed.
  func chatHistory(_ arguments: String, wantTimes: Bool = false) throws -> Answer {
    try connection.send("CHATHISTORY \(arguments)")
    var batch: Substring?
    var memberPrefix: [UInt8] = []
    var answer = Answer()
    try connection.readUntil("the end of the CHATHISTORY batch") { line in
      if !wantTimes, !memberPrefix.isEmpty, line.utf8.starts(with: memberPrefix) {
        answer.messages += 1
        return false
      }
      let words = IRCLineWords(line)
      switch words.command {
      case "BATCH":
        guard let reference = words.parameter(0) else { return false }
        if batch == nil, reference.first == "+", words.parameter(1) == "chathistory" {
          batch = reference.dropFirst()
          memberPrefix = Array("@batch=\(reference.dropFirst());".utf8)
        } else if let open = batch, reference.first == "-", reference.dropFirst() == open {
          return true
        }
      case "PRIVMSG", "NOTICE":
        guard let open = batch, words.tag("batch") == open else { return false }
        answer.messages += 1
        if wantTimes, let time = words.tag("time").flatMap({ ServerTime.parse(String($0)) }) {
          if answer.firstTime == nil { answer.firstTime = time }
          answer.lastTime = time
        }
      case "FAIL":
        throw BenchError("\(nick): CHATHISTORY \(arguments) failed: \(line)")
      default:
        break
      }
      return false
    }
    return answer
  }

  /// Says goodbye; errors do not matter any more.
  func quit() {
    connection.quit()
  }
}
