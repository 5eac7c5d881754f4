import LyceumProtocol

extension IRCServerCore {
  /// `KNOCK <#channel> [:<reason>]`: asks the operators of a channel one cannot join for an
  /// invitation (solanum's `m_knock`, numerics from the Modern IRC list; ISUPPORT `KNOCK`).
  ///
  /// The channel's operators get `710 <#channel> <#channel> <nick!user@host> :has asked for an
  /// invite` (with the reason in parentheses, when given) and the knocker `711`. Refusals, in
  /// order: `403` (no such channel, or a secret one), `714` (already in it), `713` (nothing keeps
  /// the knocker out: not `+i` or `+I` matches, no `+k`, not full), `404` (banned), `712` (the
  /// knocker knocked less than `limits.knockIntervalPerUser` ago, or anyone knocked on the
  /// channel less than `limits.knockIntervalPerChannel` ago). Reasons are cut to fit the line.
  func handleKnock(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    guard let channel = channel(named: name),
      !channel.modes.secret || client.isOperator
    else {
      replies.numeric(.errNoSuchChannel, name, "No such channel")
      return
    }
    if channel.members[client.id] != nil {
      replies.numeric(.errKnockOnChan, channel.name, "You are already on that channel.")
      return
    }
    let modes = channel.modes
    let full = modes.limit.map { channel.members.count >= $0 } ?? false
    let invitationNeeded =
      (modes.inviteOnly && !matchesAny(client, channel.inviteExceptions)) || modes.key != nil
      || full
    guard invitationNeeded else {
      replies.numeric(.errChanOpen, channel.name, "Channel is open.")
      return
    }
    if isBanned(client, from: channel) {
      replies.numeric(.errCannotSendToChan, channel.name, "Cannot knock on channel (you're banned)")
      return
    }
    let now = clock.monotonicNow()
    let limits = configuration.limits
    if let last = client.lastKnockAt, now - last < limits.knockIntervalPerUser {
      replies.numeric(.errTooManyKnock, channel.name, "Too many KNOCKs (user).")
      return
    }
    if let last = channel.lastKnockAt, now - last < limits.knockIntervalPerChannel {
      replies.numeric(.errTooManyKnock, channel.name, "Too many KNOCKs (channel).")
      return
    }
    client.lastKnockAt = now
    channel.lastKnockAt = now
    var text = "has asked for an invite."
    if message.params.count > 1 { text = "has asked for an invite (\(message.params[1]))." }
    let knock = IRCMessage(
      source: configuration.serverName, command: Numeric.knock.code,
      params: [channel.name, channel.name, client.prefix, text]
    ).cutToFit()
    for (id, rank) in channel.members where rank.isOperator {
      if let member = clients[id] { deliver(knock, to: member) }
    }
    publish(.knock(channel: channel.name, line: NetworkLine(knock)))
    replies.numeric(.knockDelivered, channel.name, "Your KNOCK has been delivered.")
  }
}
