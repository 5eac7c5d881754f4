import LyceumProtocol

/// Reads the IRC output of a bots-listener session (see `openListenerSession` in the core)
/// and finds the answer to each labelled post in it: the labelled echo, which the core
/// releases only once the message is kept, means `OK <msgid>`; a labelled error numeric or
/// `FAIL` means `ERROR <reason>`. Everything else the session is sent (its welcome, pings,
/// messages to its account) is not an answer and is dropped.
struct BotAnswerReader {
  private var framer = LineFramer()
  /// Open `labeled-response` batches: reference to label and the lines so far.
  private var batches: [String: (label: String, lines: [IRCMessage])] = [:]
  /// The text of the server's `ERROR` line, when it closed the session.
  private(set) var closingReason: String?

  /// The answers completed by `bytes`, as (label, answer line without its line ending).
  mutating func read(_ bytes: [UInt8]) -> [(label: String, answer: String)] {
    framer.append(contentsOf: bytes)
    var answers: [(label: String, answer: String)] = []
    while let event = framer.next() {
      guard case .line(let line) = event, let message = try? IRCMessage(parsing: line) else {
        continue
      }
      if message.command == "ERROR" {
        closingReason = message.params.last
        continue
      }
      if message.command == "BATCH", let reference = message.params.first {
        if reference.hasPrefix("+"), let label = message.tag("label") ?? nil {
          // Bounded: one batch per post, and posts go one at a time.
          batches[String(reference.dropFirst())] = (label, [])
        } else if reference.hasPrefix("-"),
          let done = batches.removeValue(forKey: String(reference.dropFirst()))
        {
          answers.append((done.label, Self.answer(done.lines)))
        }
        continue
      }
      if let reference = message.tag("batch") ?? nil, batches[reference] != nil {
        batches[reference]?.lines.append(message)
      } else if let label = message.tag("label") ?? nil {
        answers.append((label, Self.answer([message])))
      }
    }
    return answers
  }

  /// The answer a post's labelled reply lines make.
  static func answer(_ lines: [IRCMessage]) -> String {
    if let echo = lines.first(where: { $0.command == "PRIVMSG" }),
      let msgid = echo.tag("msgid") ?? nil
    {
      return "OK \(msgid)"
    }
    if let fail = lines.first(where: { $0.command == "FAIL" }), fail.params.count >= 2 {
      return "ERROR \(fail.params[1]) \(fail.params.last ?? "")"
    }
    if let numeric = lines.first(where: {
      $0.command.count == 3 && $0.command.allSatisfy(\.isNumber)
    }) {
      // `<code> <nick> [<target>] :<text>`: the target (when there is one) and the text.
      let shown = numeric.params.dropFirst()
      return "ERROR \(numeric.command) \(shown.joined(separator: " "))"
    }
    return "ERROR the message was not posted"
  }
}
