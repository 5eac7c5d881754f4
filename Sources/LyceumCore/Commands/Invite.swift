import LyceumProtocol

extension IRCServerCore {
  /// `INVITE <nick> <channel>`: lets a user into a `+i` (or keyed, full, banning) channel once.
  ///
  /// The inviter gets `341`, the invitee an `INVITE`, and members with `invite-notify` who could
  /// have invited (operators, or everyone when the channel is not `+i`) are told.
  func handleInvite(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if message.params.isEmpty {
      listInvitations(of: client, &replies)
      return
    }
    guard message.params.count >= 2 else {
      replies.needMoreParams("INVITE")
      return
    }
    let (nick, name) = (message.params[0], message.params[1])
    guard let target = self.client(named: nick), target.isRegistered else {
      replies.numeric(.errNoSuchNick, nick, "No such nick/channel")
      return
    }
    guard let channel = existingChannel(name, &replies),
      let membership = membership(of: client, in: channel, &replies)
    else { return }
    if channel.modes.inviteOnly && !membership.isOperator {
      replies.numeric(.errChanOPrivsNeeded, channel.name, "You're not channel operator")
      return
    }
    if channel.members[target.id] != nil {
      replies.numeric(.errUserOnChannel, target.displayNick, channel.name, "is already on channel")
      return
    }
    channel.invited.insert(target.id)
    replies.numeric(.inviting, target.displayNick, channel.name)
    if let away = target.awayMessage { replies.numeric(.away, target.displayNick, away) }
    let invite = IRCMessage(
      tags: serverTags(msgid: true, from: client), source: client.prefix, command: "INVITE",
      params: [target.displayNick, channel.name])
    deliver(invite, to: target)
    if let home = target.home {
      publish(.invite(target: home, channel: channel.name, line: NetworkLine(invite)))
    }
    broadcast(invite, to: channel, except: replies.session, requiring: .inviteNotify) { id in
      id != target.id && (!channel.modes.inviteOnly || channel.members[id]?.isOperator == true)
    }
  }

  /// `INVITE` alone: the channels the client is invited to (`336` each, then `337`), per Modern
  /// IRC.
  private func listInvitations(of client: Client, _ replies: inout Replies) {
    for channel in channels.values.sorted(by: { $0.foldedName < $1.foldedName })
    where channel.invited.contains(client.id) {
      replies.numeric(.userInviteList, channel.name)
    }
    replies.numeric(.endOfUserInviteList, "End of /INVITE list")
  }
}
