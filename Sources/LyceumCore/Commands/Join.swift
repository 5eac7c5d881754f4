import LyceumProtocol

extension IRCServerCore {
  /// `JOIN <channels> [<keys>]` and `JOIN 0` (leave every channel).
  ///
  /// The first member of a new channel becomes its operator, and a channel created by a client
  /// logged in to an account is registered to that account. Joining an existing channel checks
  /// `+k`, `+l`, `+i` (with `+I` exceptions) and `+b`; an INVITE passes all four. A member
  /// whose account operates a registered room is opped after joining.
  func handleJoin(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if message.params[0] == "0" {
      for folded in client.channels.sorted() {
        guard let channel = channels[folded] else { continue }
        part(client, from: channel, reason: nil, &replies)
      }
      return
    }
    let names = message.params[0].split(separator: ",", omittingEmptySubsequences: true)
    let keys =
      message.params.count > 1 ? message.params[1].split(separator: ",").map(String.init) : []
    var joined: [Channel] = []
    for (index, rawName) in names.enumerated() {
      let name = String(rawName)
      let key = index < keys.count ? keys[index] : nil
      if let channel = join(client, channelName: name, key: key, &replies) {
        joined.append(channel)
      }
    }
    requestJoinReplay(of: joined, message, &replies)
  }

  /// Joins one channel; the channel when `client` joined it now.
  private func join(
    _ client: Client, channelName name: String, key: String?, _ replies: inout Replies
  ) -> Channel? {
    guard IRCNames.isValidChannel(name, maxLength: configuration.limits.channelLength) else {
      replies.numeric(.errBadChanMask, name, "Bad Channel Mask")
      return nil
    }
    let folded = fold(name)
    if client.channels.contains(folded) { return nil }
    guard client.channels.count < configuration.limits.channelsPerClient else {
      replies.numeric(.errTooManyChannels, name, "You have joined too many channels")
      return nil
    }
    let channel: Channel
    var membership = Membership()
    var created = false
    if let existing = channels[folded] {
      if let refusal = joinRefusal(client, existing, key: key) {
        replies.numeric(refusal.0, existing.name, refusal.1)
        return nil
      }
      channel = existing
    } else {
      channel = Channel(
        name: name, foldedName: folded, createdAtMilliseconds: clock.wallClockMilliseconds())
      channel.createdOnNode = networkNode ?? ""
      channels[folded] = channel
      membership.isOperator = true
      created = true
    }
    channel.invited.remove(client.id)
    channel.add(client.id, as: membership)
    client.channels.insert(folded)
    announceJoin(client, channel, &replies)
    if created {
      registerOnCreation(channel, by: client, &replies)
    } else {
      opByAccount(client, in: channel, &replies)
    }
    return channel
  }

  /// Why `client` may not join `channel`, as a numeric and its text; nil when it may.
  private func joinRefusal(_ client: Client, _ channel: Channel, key: String?) -> (Numeric, String)?
  {
    if channel.invited.contains(client.id) { return nil }
    let modes = channel.modes
    if let required = modes.key, key != required {
      return (.errBadChannelKey, "Cannot join channel (+k)")
    }
    if let limit = modes.limit, channel.members.count >= limit {
      return (.errChannelIsFull, "Cannot join channel (+l)")
    }
    if modes.inviteOnly && !matchesAny(client, channel.inviteExceptions) {
      return (.errInviteOnlyChan, "Cannot join channel (+i)")
    }
    if isBanned(client, from: channel) {
      return (.errBannedFromChan, "Cannot join channel (+b)")
    }
    return nil
  }

  /// Tells the channel (plain and `extended-join` forms), then gives the joiner the topic and
  /// the names list, on this session through its replies and on its other sessions directly.
  private func announceJoin(_ client: Client, _ channel: Channel, _ replies: inout Replies) {
    let tags = serverTags(msgid: true, from: client)
    let plain = IRCMessage(
      tags: tags, source: client.prefix, command: "JOIN", params: [channel.name])
    let extended = IRCMessage(
      tags: tags, source: client.prefix, command: "JOIN",
      params: [channel.name, client.account?.name ?? "*", client.realname])
    keep(plain, in: channel, from: client)
    publish(
      .join(
        networkRef(client), channel: channel.name, created: channel.creation,
        membership: channel.members[client.id] ?? Membership(), line: NetworkLine(plain)))
    broadcast(plain, to: channel, except: replies.session, lacking: .extendedJoin)
    broadcast(extended, to: channel, except: replies.session, requiring: .extendedJoin)
    if let away = client.awayMessage {
      let awayLine = IRCMessage(
        tags: serverTags(msgid: false, from: client), source: client.prefix, command: "AWAY",
        params: [away])
      broadcast(awayLine, to: channel, requiring: .awayNotify) { $0 != client.id }
    }
    replies.send(replies.session.capabilities.contains(.extendedJoin) ? extended : plain)
    sendJoinDetails(of: channel, to: client, &replies)
    for other in client.registeredSessions where other !== replies.session {
      reply(to: other) { sendJoinDetails(of: channel, to: client, &$0) }
    }
  }

  /// What a joiner's session gets after its JOIN: its read marker (`draft/read-marker`), the
  /// topic (`332`, `333`), the room's kind and description (a `NOTICE`) and, unless it asked for `draft/no-implicit-names`, the names list.
  func sendJoinDetails(of channel: Channel, to client: Client, _ replies: inout Replies) {
    sendJoinReadMarker(of: channel, to: client, &replies)
    if let topic = channel.topic {
      replies.numeric(.topic, channel.name, topic.text)
      replies.numeric(
        .topicWhoTime, channel.name, topic.setBy, String(topic.setAtMilliseconds / 1000))
    }
    sendRoomAbout(channel, &replies)
    if !replies.session.capabilities.contains(.noImplicitNames) {
      sendNames(for: channel, to: client, replies: &replies)
    }
  }
}
