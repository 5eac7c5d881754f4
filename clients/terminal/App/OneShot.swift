import ArgumentParser
import Foundation
import LyceumClient
import LyceumTerminalView

/// Connects, registers and logs in for a one-shot subcommand, runs `body`, quits. Any failure
/// (connection, certificate, login, a refused room or message) is printed as `lyceum: …` and
/// exits with status 1, so that a bot's cron job can tell.
func runOneShot(
  _ options: ConnectionOptions, channels: [String] = [], historyPageSize: Int = 100,
  _ body: (BlockingSessionRunner) throws -> Void
) throws {
  signal(SIGPIPE, SIG_IGN)
  do {
    let configuration = try options.load()
    var sessionConfiguration = try configuration.sessionConfiguration()
    sessionConfiguration.channels = channels
    sessionConfiguration.fetchDirectTargets = false
    sessionConfiguration.historyPageSize = historyPageSize
    let connection = try configuration.connect()
    let runner = try BlockingSessionRunner(
      session: IRCSession(configuration: sessionConfiguration), connection: connection,
      clock: wallClockMilliseconds)
    if options.debug { runner.trace = { printError($0) } }
    try runner.waitUntilRegistered(timeout: .seconds(30))
    if case .none = sessionConfiguration.login {
    } else if runner.session.account == nil {
      throw ClientFailure.login("the server did not log us in")
    }
    try body(runner)
    runner.quit()
  } catch let error as ValidationError {
    throw error
  } catch let error as ExitCode {
    throw error
  } catch {
    printError("\(error)")
    throw ExitCode.failure
  }
}

/// `lyceum post '#room' 'text'`: posts and exits; exit status 1 if it was not accepted.
struct PostCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "post",
    abstract: "Post to a room or a person, then exit (text from arguments or stdin).",
    discussion: """
      With no text argument, each line of standard input is one message. The room is joined \
      first unless --no-join (bots may post without joining). Exit status 0 only when the \
      server accepted every message.
      """)

  @OptionGroup var connection: ConnectionOptions

  @Argument(help: "Room or nick.") var target: String
  @Argument(help: "The message (default: lines from standard input).") var text: [String] = []

  @Option(help: ArgumentHelp("Reply to this message (a thread).", valueName: "msgid"))
  var reply: String?

  @Flag(help: "Do not join the room first.") var noJoin = false

  func run() throws {
    let lines: [String]
    if text.isEmpty {
      var read: [String] = []
      while let line = readLine(strippingNewline: true) { read.append(line) }
      lines = read.filter { !$0.isEmpty }
    } else {
      lines = [text.joined(separator: " ")]
    }
    guard !lines.isEmpty else { throw ValidationError("nothing to post") }
    try runOneShot(connection) { runner in
      if IRCSession.isChannel(target) && !noJoin {
        try runner.join(target, timeout: .seconds(15))
      }
      for line in lines {
        try runner.post(to: target, text: line, replyTo: reply, timeout: .seconds(15))
      }
    }
  }
}

/// `lyceum tail '#room'`: follows a room as plain lines (for logs and pipes).
struct TailCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tail",
    abstract: "Follow a room as plain lines: time, nick, text. Runs until interrupted.")

  @OptionGroup var connection: ConnectionOptions
  @Argument(help: "Room to follow.") var room: String
  @Option(help: "Print this many lines of history first.") var lines = 0

  func run() throws {
    try runOneShot(connection, historyPageSize: max(1, lines)) { runner in
      try runner.join(room, timeout: .seconds(15))
      let key = BufferKey(target: room)
      var printed = PrintedLines()
      // The history asked for on joining arrives first; print its last `lines` lines.
      if lines > 0, runner.session.historyAvailable {
        _ = try runner.run(timeout: .seconds(15)) {
          if case .historyLoaded = $0 { return true }
          return false
        }
        let buffer = runner.session.buffers[key]?.lines ?? []
        for line in buffer.suffix(lines) where printed.insert(line) { emit(PlainLine.format(line)) }
      }
      for line in runner.session.buffers[key]?.lines ?? [] { _ = printed.insert(line) }
      emit("-- following \(room) --")
      while !runner.connection.isClosed {
        _ = try runner.run(
          timeout: .seconds(3600),
          afterLine: {
            // The newest lines not printed yet, in order (a buffer at its size limit drops its
            // oldest lines, so positions cannot say what is new; msgids can).
            for line in (runner.session.buffers[key]?.lines ?? []).suffix(256)
            where printed.insert(line) {
              emit(PlainLine.format(line))
            }
          },
          until: { _ in false })
      }
      throw ClientFailure.closed("connection ended")
    }
  }
}

/// Writes one line to standard output at once (unbuffered: `tail` feeds pipes and logs).
func emit(_ text: String) {
  FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Lines as the one-shot commands print them: with control characters shown as symbols, so
/// that nobody in a room can send escape sequences to the terminal `tail` runs in.
enum PlainLine {
  static func format(_ line: BufferLine) -> String {
    let time = formatServerTime(line.time)
    let sender = TextSanitizer.plain(line.sender)
    let text = TextSanitizer.plain(line.text)
    switch line.kind {
    case .action: return "\(time) * \(sender) \(text)"
    case .notice: return "\(time) -\(sender)- \(text)"
    case .message: return "\(time) <\(sender)> \(text)"
    default: return "\(time) -- \(text)"
    }
  }
}

/// The kept lines `tail` has printed, by msgid (the most recent few thousand).
struct PrintedLines {
  private var seen: Set<String> = []
  private var order: [String] = []

  /// Whether `line` is new here (and now remembered); lines without a msgid are not printed.
  mutating func insert(_ line: BufferLine) -> Bool {
    guard let id = line.msgid, seen.insert(id).inserted else { return false }
    order.append(id)
    if order.count > 4096 {
      seen.remove(order.removeFirst())
    }
    return true
  }
}
