import LyceumProtocol

/// `REDACT <target> <msgid> [:reason]` (IRCv3 draft/message-redaction): deletes a kept
/// message. Allowed to its sender (the same account, or the same client when not logged in),
/// to the channel's operators, and to IRC operators. The `REDACT` is kept in history first
/// (the store then erases the message: its row, text and search entry go), then relayed to
/// the target's members with `draft/message-redaction`; the others are told nothing.
extension IRCServerCore {
  /// The newest messages `REDACT` can reach (kept in memory, loaded again at start-up).
  public static let redactableMessages = 10_000

  func handleRedact(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let target = message.params[0]
    let msgid = message.params[1]
    let reason = message.params.count > 2 ? message.params[2] : nil
    func fail(_ code: String, _ context: [String], _ description: String) {
      replies.standardReply(
        .fail, command: "REDACT", code: code, context: context, description: description)
    }
    var channel: Channel?
    var recipient: Client?
    /// The other party's folded account, for a direct conversation.
    var partner: String?
    let historyTarget: HistoryTarget
    if target.hasPrefix("#") {
      guard let found = self.channel(named: target), found.members[client.id] != nil else {
        return fail("INVALID_TARGET", [target], "You cannot delete messages from \(target)")
      }
      channel = found
      historyTarget = .channel(found.foldedName)
    } else {
      // The other party by nick when online, else by account name (a conversation with someone
      // offline).
      let other = self.client(named: target).flatMap { $0.isRegistered ? $0 : nil }
      guard let mine = client.account?.foldedName,
        let theirs = other?.account?.foldedName ?? accounts[fold(target)]?.foldedName
      else {
        return fail("INVALID_TARGET", [target], "You cannot delete messages from \(target)")
      }
      recipient = other
      partner = theirs
      historyTarget = .between(mine, theirs)
    }
    guard let record = recentMessages.record(msgid), record.target == historyTarget else {
      return fail(
        "UNKNOWN_MSGID", [target, msgid], "This message does not exist or is too old")
    }
    let ownMessage =
      (record.sender != nil && record.sender == client.id)
      || (record.account != nil && record.account == client.account?.foldedName)
    let channelOperator = channel?.members[client.id]?.isOperator ?? false
    guard ownMessage || channelOperator || client.isOperator else {
      return fail(
        "REDACT_FORBIDDEN", [target, msgid], "You are not authorised to delete this message")
    }
    var params = [channel?.name ?? recipient?.displayNick ?? target, msgid]
    let keptBefore = outbox.keptInPart
    if let reason { params.append(reason) }
    let redact = IRCMessage(
      tags: serverTags(msgid: true, from: client), source: client.prefix, command: "REDACT",
      params: params
    ).cutToFit()
    if let channel {
      keep(redact, in: channel, from: client)
      broadcast(redact, to: channel, except: replies.session, requiring: .messageRedaction)
      publish(
        .channelLine(
          from: networkRef(client), channel: channel.name, statusPrefix: nil,
          requiring: .messageRedaction, line: NetworkLine(redact)))
    } else if let partner {
      keepDirect(redact, from: client, toAccount: partner)
      if let recipient { deliver(redact, to: recipient, requiring: .messageRedaction) }
      if let home = recipient?.home {
        publish(
          .directLine(
            from: networkRef(client), to: home, requiring: .messageRedaction,
            line: NetworkLine(redact)))
      }
      if recipient !== client {
        deliver(redact, to: client, except: replies.session, requiring: .messageRedaction)
      }
    }
    recentMessages.forget(msgid)
    if outbox.keptInPart > keptBefore {
      withheldReplies = [
        IRCMessage(
          source: configuration.serverName, command: "FAIL",
          params: [
            "REDACT", "TEMPORARILY_UNAVAILABLE", target, "Redaction could not be kept; not done",
          ])
      ]
    }
    if replies.session.capabilities.contains(.messageRedaction) { replies.send(redact) }
  }
}
