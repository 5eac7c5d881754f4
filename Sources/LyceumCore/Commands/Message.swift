import LyceumProtocol

/// The three commands that carry a message to a channel or a user.
enum MessageKind: Sendable {
  case privmsg, notice, tagmsg

  var command: String {
    switch self {
    case .privmsg: "PRIVMSG"
    case .notice: "NOTICE"
    case .tagmsg: "TAGMSG"
    }
  }
}

extension IRCServerCore {
  /// `PRIVMSG|NOTICE <targets> :<text>` and `TAGMSG <targets>`.
  ///
  /// Targets are channels (optionally `@#chan`/`+#chan` to reach only those ranks) or nicks, up
  /// to `TARGMAX`. The server adds `time` and `msgid`, keeps the client's `+` tags for those
  /// with `message-tags`, and echoes to the sender under `echo-message`. Per RFC 2812, a NOTICE
  /// never triggers an error reply.
  func handleMessage(
    _ client: Client, _ message: IRCMessage, _ replies: inout Replies, kind: MessageKind
  ) {
    var errors = Replies(
      serverName: replies.serverName, target: replies.target, session: replies.session)
    // Said only once the message is kept: that a recipient who is offline will get it.
    var confirmations = Replies(
      serverName: replies.serverName, target: replies.target, session: replies.session)
    // Sent instead of everything else if what this message keeps cannot be stored.
    var unkept: [IRCMessage] = []
    defer {
      let errorReplies = kind != .notice ? errors.messages : []
      for error in errorReplies { replies.send(error) }
      for confirmation in confirmations.messages where kind == .privmsg {
        replies.send(confirmation)
      }
      withheldReplies = unkept.isEmpty ? [] : errorReplies + unkept
    }
    guard let targetList = message.params.first, !targetList.isEmpty else {
      errors.numeric(.errNoRecipient, "No recipient given (\(kind.command))")
      return
    }
    let text = message.params.count > 1 ? message.params[1] : ""
    if kind != .tagmsg && text.isEmpty {
      errors.numeric(.errNoTextToSend, "No text to send")
      return
    }
    var targets: [String] = []
    var seen: Set<String> = []
    for raw in targetList.split(separator: ",") where seen.insert(fold(String(raw))).inserted {
      targets.append(String(raw))
    }
    guard targets.count <= configuration.limits.targetsPerCommand else {
      errors.numeric(.errTooManyTargets, targetList, "Too many targets")
      return
    }
    client.lastMessageAt = clock.monotonicNow()
    var tags = serverTags(msgid: true, from: client)
    if client.isBot { tags.append(IRCTag("bot")) }
    tags.append(contentsOf: message.tags.filter(\.isClientOnly))
    for target in targets {
      var params = [target]
      if kind != .tagmsg { params.append(text) }
      var outgoing = IRCMessage(
        tags: tags, source: client.prefix, command: kind.command, params: params)
      // Cut so the relayed line fits 512 bytes; every copy and the kept one are this one.
      if kind != .tagmsg { outgoing = outgoing.cutToFit() }
      let accepted: Bool
      let keptBefore = outbox.keptInPart
      if let channelName = Self.channelPart(of: target) {
        accepted = sendToChannel(
          client, channelName: channelName, statusPrefix: target.first == "#" ? nil : target.first,
          outgoing, kind: kind, &errors)
      } else {
        accepted = sendToUser(
          client, nick: target, outgoing, kind: kind, &errors, &confirmations)
      }
      if accepted && outbox.keptInPart > keptBefore {
        unkept.append(
          IRCMessage(
            source: configuration.serverName, command: "FAIL",
            params: [
              kind.command, "TEMPORARILY_UNAVAILABLE", target,
              "Message could not be kept; not delivered",
            ]))
      }
      // The echo confirms delivery, so a refused message is not echoed.
      let capabilities = replies.session.capabilities
      if accepted && capabilities.contains(.echoMessage)
        && (kind != .tagmsg || capabilities.contains(.messageTags))
      {
        replies.send(outgoing)
      }
      // Fresh ids for each further target, so every delivered copy is distinct.
      tags = tags.map {
        $0.key == "msgid"
          ? IRCTag("msgid", messageIDs.next(wallClockMilliseconds: clock.wallClockMilliseconds()))
          : $0
      }
    }
  }

  /// `#chan` from `#chan`, `@#chan` or `+#chan`; nil for a nick.
  static func channelPart(of target: String) -> String? {
    if target.hasPrefix("#") { return target }
    if target.hasPrefix("@#") || target.hasPrefix("+#") { return String(target.dropFirst()) }
    return nil
  }

  /// Delivers to a channel's members; false (after an error reply) when refused. A multiline
  /// message comes with its `lines` (`outgoing` then carries their combined text).
  func sendToChannel(
    _ client: Client, channelName: String, statusPrefix: Character?, _ outgoing: IRCMessage,
    kind: MessageKind, _ errors: inout Replies, lines: [MultilineLine]? = nil
  ) -> Bool {
    guard let channel = channel(named: channelName) else {
      errors.numeric(.errNoSuchNick, channelName, "No such nick/channel")
      return false
    }
    let membership = channel.members[client.id]
    let privileged = membership.map { $0.isOperator || $0.isVoiced } ?? false
    let refusal: String? =
      // Bot accounts post announcements without joining; +m and bans still apply to them.
      if membership == nil && channel.modes.noExternalMessages && client.account?.role != .bot {
        "Cannot send to channel (no external messages)"
      } else if channel.modes.moderated && !privileged {
        "Cannot send to channel (+m)"
      } else if !privileged && isSilenced(client, in: channel) {
        "Cannot send to channel (you're banned)"
      } else if channel.modes.noCTCP && Self.isCTCPOtherThanAction(outgoing) {
        "Cannot send CTCP to channel (+C)"
      } else if let refusal = announcementRefusal(client, in: channel) {
        refusal
      } else {
        nil
      }
    if let refusal {
      errors.numeric(.errCannotSendToChan, channel.name, refusal)
      return false
    }
    let required: CapabilitySet = kind == .tagmsg ? .messageTags : []
    let outgoing = markedForNotification(outgoing, from: client, in: channel, kind: kind)
    // Messages to every member are kept; `@#chan` ones are for some members only, so are not.
    if statusPrefix == nil { keep(outgoing, in: channel, from: client, lines: lines) }
    if let lines {
      publish(
        .multiline(
          from: networkRef(client), channel: channel.name,
          statusPrefix: statusPrefix.map { String($0) }, to: nil, message: NetworkLine(outgoing),
          lines: lines))
    } else {
      publish(
        .channelLine(
          from: networkRef(client), channel: channel.name,
          statusPrefix: statusPrefix.map { String($0) }, requiring: required,
          line: NetworkLine(outgoing)))
    }
    let include = { (id: ClientID) -> Bool in
      guard let statusPrefix, id != client.id else { return true }
      guard let rank = channel.members[id] else { return false }
      return rank.isOperator || (statusPrefix == "+" && rank.isVoiced)
    }
    // The sender's other sessions get the message too, so every device shows the conversation.
    if let lines {
      broadcastMultiline(
        outgoing, lines: lines, to: channel, except: errors.session, where: include)
    } else {
      broadcast(outgoing, to: channel, except: errors.session, requiring: required, where: include)
    }
    return true
  }

  /// Delivers to one user (also to oneself: with echo-message that makes two copies, the
  /// delivered one and the labelled echo, as the labeled-response spec expects); false (after
  /// an error reply) when there is no such user. A name that is no one's nick but an account's
  /// reaches that account's client under its current nick, or, when it is offline, is kept for
  /// it (`keepForOffline`). `lines` are a multiline message's (`draft/multiline`).
  func sendToUser(
    _ client: Client, nick: String, _ outgoing: IRCMessage, kind: MessageKind,
    _ errors: inout Replies, _ confirmations: inout Replies, lines: [MultilineLine]? = nil
  ) -> Bool {
    var outgoing = outgoing
    let recipient: Client
    if let online = self.client(named: nick), online.isRegistered {
      recipient = online
    } else if let account = accounts[fold(nick)] {
      guard let online = onlineClient(ofAccount: account, other: nil) else {
        return keepForOffline(
          client, account: account, nick: nick, outgoing, kind: kind, &errors, &confirmations,
          lines: lines)
      }
      recipient = online
      outgoing.params[0] = online.displayNick
    } else {
      errors.numeric(.errNoSuchNick, nick, "No such nick/channel")
      return false
    }
    let required: CapabilitySet = kind == .tagmsg ? .messageTags : []
    keepDirect(outgoing, from: client, to: recipient, lines: lines)
    if let home = recipient.home {
      if let lines {
        publish(
          .multiline(
            from: networkRef(client), channel: nil, statusPrefix: nil, to: home,
            message: NetworkLine(outgoing), lines: lines))
      } else {
        publish(
          .directLine(
            from: networkRef(client), to: home, requiring: required, line: NetworkLine(outgoing)))
      }
    }
    if let sender = client.account?.foldedName, let receiver = recipient.account?.foldedName {
      recipient.liveConversations.insert(sender)
      client.liveConversations.insert(receiver)
    }
    // To oneself every session gets it; to someone else, so do the sender's other sessions.
    if let lines {
      deliverMultiline(outgoing, lines: lines, to: recipient, except: nil)
      if recipient !== client {
        deliverMultiline(outgoing, lines: lines, to: client, except: errors.session)
      }
    } else {
      deliver(outgoing, to: recipient, requiring: required)
      if recipient !== client {
        deliver(outgoing, to: client, except: errors.session, requiring: required)
      }
    }
    if kind == .privmsg, let away = recipient.awayMessage {
      errors.numeric(.away, recipient.displayNick, away)
    }
    return true
  }
}
