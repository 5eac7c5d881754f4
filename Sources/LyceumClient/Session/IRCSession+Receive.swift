import LyceumProtocol

extension IRCSession {
  /// Handles one line from the server. A line that does not parse, or that makes no sense, is
  /// noted in the server buffer and otherwise ignored: a server sending nonsense never stops
  /// the client.
  public mutating func receive(line: String, now: Int64) -> [SessionEvent] {
    if debug { status("<< \(line)", now: now) }
    guard let message = try? IRCMessage(parsing: line) else {
      status("Unreadable line from the server: \(line.prefix(200))", now: now, kind: .error)
      return []
    }
    return receive(message, now: now)
  }

  /// Handles one parsed message (see `receive(line:now:)`).
  public mutating func receive(_ message: IRCMessage, now: Int64) -> [SessionEvent] {
    var out: [SessionEvent] = []
    let command = message.uppercasedCommand
    if command == "BATCH" {
      handleBatch(message, now: now, &out)
      return out
    }
    if let batchTag = message.tag("batch"), let id = batchTag, openBatches[id] != nil,
      collectsLines(batch: id)
    {
      if openBatches[id]!.type == "draft/multiline" {
        holdMultilineLine(message, batch: id)
        return out
      }
      // A batch is answered in pages of at most a few hundred lines; one that never ends
      // (a broken server) is dropped rather than grown without bound.
      if openBatches[id]!.lines.count >= Self.maximumBatchLines {
        openBatches[id] = nil
        status("Dropped a batch from the server that did not end", now: now, kind: .error)
        return out
      }
      openBatches[id]!.lines.append(message)
      return out
    }
    noteLabel(message, &out)
    dispatch(message, command: command, now: now, &out)
    return out
  }

  /// Routes a message that is not held in a batch to its handler.
  mutating func dispatch(
    _ message: IRCMessage, command: String, now: Int64, _ out: inout [SessionEvent]
  ) {
    switch command {
    case "PING":
      out.append(.send("PONG :\(message.params.last ?? "")"))
    case "CAP": handleCap(message, now: now, &out)
    case "AUTHENTICATE": handleAuthenticate(message, now: now, &out)
    case "PRIVMSG", "NOTICE": handleChat(message, now: now, live: true, &out)
    case "TAGMSG": handleTagMessage(message, now: now)
    case "REDACT": handleRedact(message, now: now)
    case "JOIN": handleJoin(message, now: now, &out)
    case "PART": handlePart(message, now: now)
    case "KICK": handleKick(message, now: now)
    case "QUIT": handleQuit(message, now: now)
    case "NICK": handleNick(message, now: now)
    case "TOPIC": handleTopic(message, now: now)
    case "MODE": handleMode(message, now: now)
    case "MARKREAD": handleMarkRead(message)
    case "REGISTER": handleRegisterReply(message, now: now, &out)
    case "FAIL", "WARN", "NOTE": handleStandardReply(message, now: now, &out)
    case "ERROR":
      let reason = message.params.last ?? "closed"
      status("Server closed the link: \(reason)", now: now, kind: .error)
      out.append(.closedByServer(reason: reason))
    case "ACK", "PONG", "ACCOUNT", "AWAY", "SETNAME", "CHGHOST", "INVITE", "THREADS",
      "CHATHISTORY":
      handleMinor(message, command: command, now: now)
    default:
      if let code = Int(command), command.count == 3 {
        handleNumeric(code, message, now: now, &out)
      } else {
        status(message.params.joined(separator: " "), now: now)
      }
    }
  }

  /// The time of a message: its `time` tag, or `now` when it has none (or a bad one).
  func time(of message: IRCMessage, now: Int64) -> Int64 {
    if let tag = message.tag("time"), let text = tag, let parsed = parseServerTime(text) {
      return parsed
    }
    return now
  }

  /// The nick in a message's source (`nick!user@host`), or the whole source.
  func sourceNick(_ message: IRCMessage) -> String {
    UserHost(parsing: message.source ?? "").nick
  }
}
