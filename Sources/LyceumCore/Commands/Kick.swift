import LyceumProtocol

extension IRCServerCore {
  /// `KICK <channel> <nick>[,<nick>…] [:reason]`: channel operators remove members.
  func handleKick(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    guard let channel = existingChannel(name, &replies),
      let membership = membership(of: client, in: channel, &replies)
    else { return }
    guard membership.isOperator else {
      replies.numeric(.errChanOPrivsNeeded, channel.name, "You're not channel operator")
      return
    }
    let nicks = message.params[1].split(separator: ",").map(String.init)
    guard nicks.count <= configuration.limits.targetsPerCommand else {
      replies.numeric(.errTooManyTargets, message.params[1], "Too many targets")
      return
    }
    let reason = (message.params.count > 2 ? message.params[2] : client.displayNick)
      .prefixFitting(utf8Bytes: configuration.limits.kickLength)
    for nick in nicks {
      guard let target = self.client(named: nick), channel.members[target.id] != nil else {
        replies.numeric(.errUserNotInChannel, nick, channel.name, "They aren't on that channel")
        continue
      }
      let kick = IRCMessage(
        tags: serverTags(msgid: true, from: client), source: client.prefix, command: "KICK",
        params: [channel.name, target.displayNick, reason]
      ).cutToFit()
      keep(kick, in: channel, from: client)
      broadcast(kick, to: channel, except: replies.session)
      replies.send(kick)
      removeMember(target, from: channel)
    }
  }
}
