import LyceumProtocol

/// The two forms a multiline message is delivered in (IRCv3 draft/multiline).
struct MultilineForms {
  /// For sessions with `draft/multiline`: `BATCH +<id> draft/multiline <target>` carrying the
  /// message's tags, one `PRIVMSG` per line (`draft/multiline-concat` where a line continues
  /// the one before), `BATCH -<id>`.
  var batch: [IRCMessage]
  /// For the others: one `PRIVMSG` per line that is not blank, the first with every tag of the
  /// message (its msgid only there), the rest with `time`, `account` and `bot` alone.
  var fallback: [IRCMessage]
}

/// Sending a multiline message: the same rules, keeping and echo as `PRIVMSG`, in two forms.
extension IRCServerCore {
  /// Sends the lines of a closed batch to `target` as one message.
  func sendMultiline(
    _ client: Client, target: String, clientTags: [IRCTag], _ lines: [MultilineLine],
    _ replies: inout Replies
  ) {
    var errors = Replies(
      serverName: replies.serverName, target: replies.target, session: replies.session)
    // Said only once the message is kept: that a recipient who is offline will get it.
    var confirmations = Replies(
      serverName: replies.serverName, target: replies.target, session: replies.session)
    var unkept: [IRCMessage] = []
    defer {
      for error in errors.messages { replies.send(error) }
      for confirmation in confirmations.messages { replies.send(confirmation) }
      withheldReplies = unkept.isEmpty ? [] : errors.messages + unkept
    }
    client.lastMessageAt = clock.monotonicNow()
    var tags = serverTags(msgid: true, from: client)
    if client.isBot { tags.append(IRCTag("bot")) }
    tags.append(contentsOf: clientTags)
    let room = IRCMessage.maximumBodyBytes - ":\(client.prefix) PRIVMSG \(target) :".utf8.count
    let fitted = MultilineLine.fitting(lines, maxBytes: max(room, 16))
    let outgoing = IRCMessage(
      tags: tags, source: client.prefix, command: "PRIVMSG",
      params: [target, MultilineLine.combined(fitted)])
    let keptBefore = outbox.keptInPart
    let accepted: Bool
    if let channelName = Self.channelPart(of: target) {
      accepted = sendToChannel(
        client, channelName: channelName, statusPrefix: target.first == "#" ? nil : target.first,
        outgoing, kind: .privmsg, &errors, lines: fitted)
    } else {
      accepted = sendToUser(
        client, nick: target, outgoing, kind: .privmsg, &errors, &confirmations, lines: fitted)
    }
    if accepted && outbox.keptInPart > keptBefore {
      unkept.append(
        IRCMessage(
          source: configuration.serverName, command: "FAIL",
          params: [
            "BATCH", "TEMPORARILY_UNAVAILABLE", target, "Message could not be kept; not delivered",
          ]))
    }
    guard accepted, replies.session.capabilities.contains(.echoMessage) else { return }
    let forms = multilineForms(outgoing, lines: fitted)
    guard replies.session.capabilities.contains(.multiline) else {
      for line in forms.fallback { replies.send(line) }
      return
    }
    var echo = forms.batch
    // The spec: the label goes on the opening BATCH alone, not around it.
    if let label = replies.labelOverride, errors.messages.isEmpty {
      echo[0].tags.insert(IRCTag("label", label), at: 0)
      replies.labelDeferred = true
    }
    for line in echo { replies.send(line) }
  }

  /// Both forms of `message` (`PRIVMSG <target> :<combined text>` with the message's tags)
  /// made of `lines`.
  func multilineForms(_ message: IRCMessage, lines: [MultilineLine]) -> MultilineForms {
    let target = message.params.first ?? "*"
    let batchID = nextBatchID()
    var batch = [
      IRCMessage(
        tags: message.tags, source: message.source, command: "BATCH",
        params: ["+" + batchID, "draft/multiline", target])
    ]
    for line in lines {
      var tags = [IRCTag("batch", batchID)]
      if line.concatenates { tags.append(IRCTag("draft/multiline-concat")) }
      batch.append(
        IRCMessage(
          tags: tags, source: message.source, command: message.command,
          params: [target, line.text]))
    }
    batch.append(IRCMessage(source: message.source, command: "BATCH", params: ["-" + batchID]))
    let laterTags = message.tags.filter { ["time", "account", "bot"].contains($0.key) }
    var fallback: [IRCMessage] = []
    for line in lines where !line.isBlank {
      fallback.append(
        IRCMessage(
          tags: fallback.isEmpty ? message.tags : laterTags, source: message.source,
          command: message.command, params: [target, line.text]))
    }
    return MultilineForms(batch: batch, fallback: fallback)
  }

  /// Sends a multiline message to a channel's members: the batch to those with
  /// `draft/multiline`, the lines to the others.
  func broadcastMultiline(
    _ message: IRCMessage, lines: [MultilineLine], to channel: Channel, except excluded: Session?,
    where include: (ClientID) -> Bool
  ) {
    let forms = multilineForms(message, lines: lines)
    for line in forms.batch {
      broadcast(line, to: channel, except: excluded, requiring: .multiline, where: include)
    }
    for line in forms.fallback {
      broadcast(line, to: channel, except: excluded, lacking: .multiline, where: include)
    }
  }

  /// Sends a multiline message to every session of `client` except `excluded`.
  func deliverMultiline(
    _ message: IRCMessage, lines: [MultilineLine], to client: Client, except excluded: Session?
  ) {
    let forms = multilineForms(message, lines: lines)
    for line in forms.batch { deliver(line, to: client, except: excluded, requiring: .multiline) }
    for line in forms.fallback {
      deliver(line, to: client, except: excluded, lacking: .multiline)
    }
  }

  /// The lines a kept entry is replayed as to a session with `capabilities`: itself, or for a
  /// multiline message the batch or the separate lines.
  func replayedLines(_ entry: HistoryEntry, for capabilities: CapabilitySet) -> [IRCMessage] {
    let message = Self.replayed(entry)
    guard let lines = entry.lines else { return [message] }
    let forms = multilineForms(message, lines: lines)
    return capabilities.contains(.multiline) ? forms.batch : forms.fallback
  }
}
