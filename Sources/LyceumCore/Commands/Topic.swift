import LyceumProtocol

extension IRCServerCore {
  /// `TOPIC <channel> [:<topic>]`: shows the topic (`331` or `332`+`333`) or sets it; an empty
  /// text clears it. With `+t` only channel operators may set it.
  func handleTopic(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    guard let channel = existingChannel(name, &replies) else { return }
    let membership = channel.members[client.id]
    guard message.params.count > 1 else {
      if membership == nil && channel.modes.secret {
        replies.numeric(.errNotOnChannel, channel.name, "You're not on that channel")
      } else if let topic = channel.topic {
        replies.numeric(.topic, channel.name, topic.text)
        replies.numeric(
          .topicWhoTime, channel.name, topic.setBy, String(topic.setAtMilliseconds / 1000))
      } else {
        replies.numeric(.noTopic, channel.name, "No topic is set")
      }
      return
    }
    guard let membership = self.membership(of: client, in: channel, &replies) else { return }
    if channel.modes.topicLocked && !membership.isOperator {
      replies.numeric(.errChanOPrivsNeeded, channel.name, "You're not channel operator")
      return
    }
    let change = IRCMessage(
      tags: serverTags(msgid: true, from: client), source: client.prefix, command: "TOPIC",
      params: [
        channel.name, message.params[1].prefixFitting(utf8Bytes: configuration.limits.topicLength),
      ]
    ).cutToFit()
    let text = change.params[1]
    let before = channel.roomRecord
    channel.topic =
      text.isEmpty
      ? nil
      : Topic(text: text, setBy: client.prefix, setAtMilliseconds: clock.wallClockMilliseconds())
    keep(change, in: channel, from: client)
    publish(.topic(channel: channel.name, topic: channel.topic, line: NetworkLine(change)))
    broadcast(change, to: channel, except: replies.session)
    replies.send(change)
    noteRoomChange(channel, since: before)
  }
}
