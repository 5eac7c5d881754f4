import LyceumProtocol

extension IRCServerCore {
  /// `KICK <channel>{,<channel>} <nick>{,<nick>} [:reason]`: channel operators remove members.
  ///
  /// As RFC 2812 and Modern IRC describe: one channel with one or more nicks, or as many
  /// channels as nicks, paired in order (`KICK #a,#b u1,u2` kicks u1 from #a and u2 from #b).
  /// Other counts are `461`; more than `TARGMAX` kicks, `407`. Each channel is checked once, so a
  /// refusal (`403`, `442`, `482`) is sent once for it however many nicks it has.
  func handleKick(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let names = message.params[0].split(separator: ",").map(String.init)
    let nicks = message.params[1].split(separator: ",").map(String.init)
    guard !names.isEmpty, !nicks.isEmpty, names.count == 1 || names.count == nicks.count else {
      replies.needMoreParams("KICK")
      return
    }
    guard nicks.count <= configuration.limits.targetsPerCommand else {
      replies.numeric(.errTooManyTargets, message.params[1], "Too many targets")
      return
    }
    let reason = (message.params.count > 2 ? message.params[2] : client.displayNick)
      .prefixFitting(utf8Bytes: configuration.limits.kickLength)
    var refused: Set<String> = []
    for (index, nick) in nicks.enumerated() {
      let name = names.count == 1 ? names[0] : names[index]
      guard !refused.contains(fold(name)) else { continue }
      guard let channel = kickableChannel(name, by: client, &replies) else {
        refused.insert(fold(name))
        continue
      }
      kick(nick, from: channel, by: client, reason: reason, &replies)
    }
  }

  /// The channel `name` when `client` may kick from it; else nil, after the error reply.
  private func kickableChannel(_ name: String, by client: Client, _ replies: inout Replies)
    -> Channel?
  {
    guard let channel = existingChannel(name, &replies),
      let membership = membership(of: client, in: channel, &replies)
    else { return nil }
    guard membership.isOperator else {
      replies.numeric(.errChanOPrivsNeeded, channel.name, "You're not channel operator")
      return nil
    }
    return channel
  }

  /// Removes `nick` from `channel`, telling its members, keeping the `KICK` in history.
  private func kick(
    _ nick: String, from channel: Channel, by client: Client, reason: String,
    _ replies: inout Replies
  ) {
    guard let target = self.client(named: nick), channel.members[target.id] != nil else {
      replies.numeric(.errUserNotInChannel, nick, channel.name, "They aren't on that channel")
      return
    }
    let kick = IRCMessage(
      tags: serverTags(msgid: true, from: client), source: client.prefix, command: "KICK",
      params: [channel.name, target.displayNick, reason]
    ).cutToFit()
    keep(kick, in: channel, from: client)
    publish(.kick(target: networkRef(target), channel: channel.name, line: NetworkLine(kick)))
    broadcast(kick, to: channel, except: replies.session)
    replies.send(kick)
    removeMember(target, from: channel)
  }
}
