import LyceumProtocol

extension IRCServerCore {
  /// `PART <channels> [:reason]`.
  func handlePart(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let reason = message.params.count > 1 ? message.params[1] : nil
    for rawName in message.params[0].split(separator: ",") {
      let name = String(rawName)
      guard let channel = existingChannel(name, &replies),
        membership(of: client, in: channel, &replies) != nil
      else { continue }
      part(client, from: channel, reason: reason, &replies)
    }
  }

  /// Removes a member, telling everyone in the channel (the leaver through its replies).
  func part(_ client: Client, from channel: Channel, reason: String?, _ replies: inout Replies) {
    var params = [channel.name]
    if let reason {
      params.append(reason.prefixFitting(utf8Bytes: configuration.limits.kickLength))
    }
    var partMessage = IRCMessage(
      tags: serverTags(msgid: true, from: client), source: client.prefix, command: "PART",
      params: params)
    if reason != nil { partMessage = partMessage.cutToFit() }
    keep(partMessage, in: channel, from: client)
    publish(.part(networkRef(client), channel: channel.name, line: NetworkLine(partMessage)))
    broadcast(partMessage, to: channel, except: replies.session)
    replies.send(partMessage)
    removeMember(client, from: channel)
  }

  /// Drops membership on both sides and forgets an empty channel (unless it is registered).
  func removeMember(_ client: Client, from channel: Channel) {
    channel.remove(client.id)
    client.channels.remove(channel.foldedName)
    forgetIfUnused(channel)
  }
}
