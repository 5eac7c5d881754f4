import LyceumProtocol

/// The messages one command sends back to the client that issued it.
///
/// Handlers add to it instead of writing to a socket; the core then applies `labeled-response`
/// (one labelled line, an `ACK`, or a labelled batch) and serializes for the client's
/// capabilities. Messages for other clients go through the core's delivery methods instead.
public struct Replies {
  public private(set) var messages: [IRCMessage] = []
  let serverName: String
  /// The nick (or `*`) that numerics are addressed to.
  var target: String
  /// The connection the command came from, which gets these replies.
  let session: Session
  /// Set by a command whose answer comes later (a history read): the label goes with that
  /// answer, so the command's own finish sends no `ACK`.
  var labelDeferred = false
  /// The label the answer carries instead of the command's own: a multiline batch is answered
  /// when it closes, under the label of its opening `BATCH`.
  var labelOverride: String?

  init(serverName: String, target: String, session: Session) {
    self.serverName = serverName
    self.target = target
    self.session = session
  }

  /// Adds any message.
  public mutating func send(_ message: IRCMessage) { messages.append(message) }

  /// Removes and returns the messages added so far, to be sent later with an answer.
  mutating func takeMessages() -> [IRCMessage] {
    defer { messages = [] }
    return messages
  }

  /// Adds a numeric from the server, addressed to the client: `:server NNN nick params…`.
  public mutating func numeric(_ numeric: Numeric, _ params: String...) {
    self.numeric(numeric, params: params)
  }

  public mutating func numeric(_ numeric: Numeric, params: [String]) {
    messages.append(
      IRCMessage(source: serverName, command: numeric.code, params: [target] + params))
  }

  /// Adds a server message that is not a numeric, such as `NOTICE` or `CAP`.
  public mutating func fromServer(_ command: String, _ params: String...) {
    messages.append(IRCMessage(source: serverName, command: command, params: params))
  }

  /// A standard reply (`FAIL`, `WARN`, `NOTE`), per the IRCv3 standard-replies spec.
  public mutating func standardReply(
    _ kind: StandardReplyKind, command: String, code: String, context: [String] = [],
    description: String
  ) {
    messages.append(
      IRCMessage(
        source: serverName, command: kind.rawValue,
        params: [command, code] + context + [description]))
  }

  /// `461 ERR_NEEDMOREPARAMS` for `command`.
  public mutating func needMoreParams(_ command: String) {
    numeric(.errNeedMoreParams, command, "Not enough parameters")
  }
}

/// The three standard-reply verbs.
public enum StandardReplyKind: String, Sendable {
  case fail = "FAIL"
  case warn = "WARN"
  case note = "NOTE"
}
