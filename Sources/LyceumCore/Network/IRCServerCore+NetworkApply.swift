import LyceumProtocol

/// Applying another node's changes: its clients become clients here without sessions (their
/// `home` says where they are), and each change is shown to this node's own clients with the
/// line the other node made, so every client of the network sees the same line and msgid.
///
/// Nothing applied here is kept: the node that made a change kept it in the shared history.
/// Every event is applied idempotently (a join of a member, a quit of a client not known),
/// since a burst repeats what a node may already know.
extension IRCServerCore {
  /// Applies one event another node published (events of this node itself are ignored).
  public func applyNetworkEvent(_ envelope: NetworkEnvelope) {
    guard let node = networkNode, envelope.origin != node else { return }
    switch envelope.event {
    case .hello:
      publishBurst()
    case .introduce(let user):
      introduceRemote(user)
    case .nick(let ref, let line):
      guard let client = remoteClient(ref), let nick = line.message.params.first else { return }
      renameRemote(client, to: nick, line.message)
    case .quit(let ref, let line):
      guard let client = remoteClient(ref) else { return }
      dropRemote(client, quit: line?.message)
    case .join(let ref, let name, let created, let membership, let line):
      guard let client = remoteClient(ref) else { return }
      joinRemote(
        client, channelName: name, created: created, membership: membership,
        line: line?.message)
    case .part(let ref, let name, let line):
      guard let client = remoteClient(ref), let channel = channel(named: name),
        channel.members[client.id] != nil
      else { return }
      broadcast(line.message, to: channel)
      removeMember(client, from: channel)
    case .kick(let target, let name, let line):
      guard let client = networkClient(target), let channel = channel(named: name),
        channel.members[client.id] != nil
      else { return }
      broadcast(line.message, to: channel)
      removeMember(client, from: channel)
    case .topic(let name, let topic, let line):
      guard let channel = channel(named: name) else { return }
      channel.topic = topic
      broadcast(line.message, to: channel)
    case .mode(let name, let line):
      guard let channel = channel(named: name) else { return }
      // A change by a member who has no rank here came from the younger of two channels of
      // this name (see `joinRemote`): the older channel's modes stand.
      if let nick = line.message.source.map({ String($0.prefix { $0 != "!" }) }),
        let setter = client(named: nick), channel.members[setter.id]?.isOperator != true
      {
        return
      }
      applyModeLine(line.message, to: channel)
      broadcast(line.message, to: channel)
    case .channelState(let state):
      adoptChannelState(state)
    case .channelLine(let from, let name, let statusPrefix, let required, let line):
      guard let channel = channel(named: name) else { return }
      if statusPrefix == nil {
        noteRemoteLine(line.message, from: remoteClient(from), in: .channel(channel.foldedName))
      }
      let rank = statusPrefix.flatMap(\.first)
      broadcast(line.message, to: channel, requiring: required) { id in
        guard let rank else { return true }
        guard let membership = channel.members[id] else { return false }
        return membership.isOperator || (rank == "+" && membership.isVoiced)
      }
    case .directLine(let from, let to, let required, let line):
      guard let client = localClient(to) else { return }
      let sender = remoteClient(from)
      if let mine = client.account?.foldedName, let theirs = sender?.account?.foldedName {
        // Kept by the sender's node; known here too, for `CHATHISTORY TARGETS` and `REDACT`.
        noteDirectConversation(.between(mine, theirs))
        noteRemoteLine(line.message, from: sender, in: .between(mine, theirs))
      }
      deliver(line.message, to: client, requiring: required)
    case .multiline(let from, let name, let statusPrefix, let to, let message, let lines):
      if let name, let channel = channel(named: name) {
        if statusPrefix == nil {
          noteRemoteLine(
            message.message, from: remoteClient(from), in: .channel(channel.foldedName))
        }
        let rank = statusPrefix.flatMap(\.first)
        broadcastMultiline(message.message, lines: lines, to: channel, except: nil) { id in
          guard let rank else { return true }
          guard let membership = channel.members[id] else { return false }
          return membership.isOperator || (rank == "+" && membership.isVoiced)
        }
      } else if let to, let client = localClient(to) {
        let sender = remoteClient(from)
        if let mine = client.account?.foldedName, let theirs = sender?.account?.foldedName {
          noteDirectConversation(.between(mine, theirs))
          noteRemoteLine(message.message, from: sender, in: .between(mine, theirs))
        }
        deliverMultiline(message.message, lines: lines, to: client, except: nil)
      }
    case .knock(let name, let line):
      guard let channel = channel(named: name) else { return }
      for (id, rank) in channel.members where rank.isOperator {
        if let member = clients[id], member.home == nil { deliver(line.message, to: member) }
      }
    case .readMarker(let account, let target, let milliseconds):
      guard readMarkers[account]?[target] ?? .min < milliseconds else { return }
      readMarkers[account, default: [:]][target] = milliseconds
      let shown = channels[target]?.name ?? target
      for client in clients(ofAccount: account) where client.home == nil {
        deliver(markReadMessage(shown, milliseconds), to: client, requiring: .readMarker)
      }
    case .invite(let target, let name, let line):
      guard let client = localClient(target), let channel = channel(named: name),
        channel.members[client.id] == nil
      else { return }
      channel.invited.insert(client.id)
      deliver(line.message, to: client)
    case .kill(let target, let reason):
      guard let client = localClient(target) else { return }
      for session in client.sessions { disconnect(session.id, reason: reason) }
    case .room(let record):
      restoreRoom(record)
    case .roomUnregistered(let name):
      guard let channel = channel(named: name) else { return }
      channel.owner = nil
      channel.operatorAccounts = []
      forgetIfUnused(channel)
    case .account(let summary):
      accountUpdated(summary)
    case .accountDeleted(let folded):
      accounts[folded] = nil
      endRevokedSessions(ofAccount: folded, accepting: nil)
    case .away(let ref, let line):
      guard let client = remoteClient(ref) else { return }
      client.awayMessage = line.message.params.first
      broadcastToPeers(of: client, line.message, requiring: .awayNotify)
      notifyExtendedMonitors(of: client, line.message, requiring: .awayNotify)
    case .setname(let ref, let line):
      guard let client = remoteClient(ref), let realname = line.message.params.first else {
        return
      }
      client.realname = realname
      broadcastToPeers(of: client, line.message, requiring: .setname)
      notifyExtendedMonitors(of: client, line.message, requiring: .setname)
    case .nodeLost(let lost):
      guard lost != node else { return }
      dropClients(ofNode: lost)
    }
  }

  /// Forgets every client of another node and the channels only they were in, silently: for
  /// a node that must join the network again (it lost its lease, or a commit of its events
  /// failed) after ending its own sessions; the others' bursts then tell it the network anew.
  public func forgetNetwork() {
    for (_, id) in remoteClients {
      guard let client = clients[id] else { continue }
      for name in client.channels {
        guard let channel = channels[name] else { continue }
        channel.remove(client.id)
        forgetIfUnused(channel)
      }
      if let folded = client.foldedNick, clientsByNick[folded] == client.id {
        clientsByNick[folded] = nil
      }
      clientCounts.remove(client)
      clients[id] = nil
      client.account = nil
    }
    remoteClients = [:]
  }

  /// The clients of node `lost` quit here, as after a netsplit: their node is gone.
  private func dropClients(ofNode lost: String) {
    for (ref, id) in remoteClients where ref.node == lost {
      guard let client = clients[id] else { continue }
      let quit = IRCMessage(
        tags: serverTags(msgid: true, from: client), source: client.prefix, command: "QUIT",
        params: ["Quit: Server lost: its node stopped answering"])
      dropRemote(client, quit: quit)
    }
  }

  /// The registered client of this node that `ref` names.
  private func localClient(_ ref: NetworkClientRef) -> Client? {
    guard ref.node == networkNode, let client = clients[ClientID(ref.id)], client.home == nil,
      client.isRegistered
    else { return nil }
    return client
  }

  /// Keeps `REDACT` working across nodes: a message from another node is remembered as if
  /// kept here (so its sender may redact it here too), and a redaction forgets its message.
  private func noteRemoteLine(_ line: IRCMessage, from sender: Client?, in target: HistoryTarget) {
    if line.command == "REDACT", line.params.count >= 2 {
      recentMessages.forget(line.params[1])
      return
    }
    guard ["PRIVMSG", "NOTICE", "TAGMSG"].contains(line.command),
      case .some(.some(let msgid)) = line.tag("msgid")
    else { return }
    recentMessages.note(
      msgid: msgid,
      .init(target: target, sender: sender?.id, account: sender?.account?.foldedName))
  }

  /// The client another node calls `ref`, when it is known here.
  private func remoteClient(_ ref: NetworkClientRef) -> Client? {
    remoteClients[ref].flatMap { clients[$0] }
  }

  /// The client `ref` names, on this node or another.
  private func networkClient(_ ref: NetworkClientRef) -> Client? {
    if ref.node == networkNode {
      return clients[ClientID(ref.id)].flatMap { $0.home == nil ? $0 : nil }
    }
    return remoteClient(ref)
  }

  private func introduceRemote(_ user: NetworkUser) {
    if let known = remoteClient(user.ref) {
      known.realname = user.realname
      known.awayMessage = user.awayMessage
      known.isInvisible = user.isInvisible
      known.isOperator = user.isOperator
      known.isBot = user.isBot
      if known.account?.foldedName != user.account?.foldedName {
        known.account = user.account
        let notice = IRCMessage(
          tags: serverTags(msgid: false, from: known), source: known.prefix,
          command: "ACCOUNT", params: [user.account?.name ?? "*"])
        broadcastToPeers(of: known, notice, requiring: .accountNotify)
        notifyExtendedMonitors(of: known, notice, requiring: .accountNotify)
      }
      if known.nick != user.nick {
        renameRemote(
          known, to: user.nick,
          IRCMessage(
            tags: serverTags(msgid: false), source: known.prefix, command: "NICK",
            params: [user.nick]))
      }
      return
    }
    let id = ClientID(nextRemoteClientID)
    nextRemoteClientID += 1
    let client = Client(
      id: id, ip: user.host, isTLS: user.isTLS, now: clock.monotonicNow(),
      wallMilliseconds: user.signonMilliseconds, accountIndex: accountIndex,
      counts: clientCounts)
    client.home = user.ref
    client.homeServerName = user.server
    client.host = user.host
    client.user = user.user
    client.realname = user.realname
    client.account = user.account
    client.isInvisible = user.isInvisible
    client.isOperator = user.isOperator
    client.isBot = user.isBot
    client.awayMessage = user.awayMessage
    client.isRegistered = true
    clients[id] = client
    remoteClients[user.ref] = id
    clientCounts.add(client)
    takeNick(user.nick, for: client)
    announceOnline(client)
  }

  /// Gives `nick` to remote `client`: the shared database gave it to it, so a local client
  /// still registering under the same nick loses it (its own claim will fail).
  private func takeNick(_ nick: String, for client: Client) {
    let folded = fold(nick)
    client.nick = nick
    client.foldedNick = folded
    if let holder = clientsByNick[folded], holder != client.id, let other = clients[holder] {
      guard !other.isRegistered else { return }  // cannot happen while the database decides
      other.nick = nil
      other.foldedNick = nil
    }
    clientsByNick[folded] = client.id
  }

  private func renameRemote(_ client: Client, to nick: String, _ line: IRCMessage) {
    if let old = client.foldedNick, let oldNick = client.nick, clientsByNick[old] == client.id {
      clientsByNick[old] = nil
      whowas.record(client, atMilliseconds: clock.wallClockMilliseconds(), caseMapping: caseMapping)
      if old != fold(nick) { announceOffline(nick: oldNick, folded: old) }
    }
    takeNick(nick, for: client)
    broadcastToPeers(of: client, line)
    announceOnline(client)
  }

  /// Forgets remote `client`, telling the local clients who share a channel with it.
  private func dropRemote(_ client: Client, quit: IRCMessage?) {
    if let quit { broadcastToPeers(of: client, quit) }
    whowas.record(client, atMilliseconds: clock.wallClockMilliseconds(), caseMapping: caseMapping)
    for name in client.channels {
      guard let channel = channels[name] else { continue }
      channel.remove(client.id)
      forgetIfUnused(channel)
    }
    client.channels.removeAll()
    if let folded = client.foldedNick, clientsByNick[folded] == client.id {
      clientsByNick[folded] = nil
      if let nick = client.nick { announceOffline(nick: nick, folded: folded) }
    }
    if let home = client.home { remoteClients[home] = nil }
    clientCounts.remove(client)
    clients[client.id] = nil
    client.account = nil
  }

  /// A remote client's join. Two nodes may create a channel of one name at once (a join on
  /// each before either heard of the other's): as IRC networks do with channel timestamps, the
  /// older channel wins. Here that means this node's younger channel loses its ranks and
  /// modes (the older side's modes follow in its events); a member joining from a younger
  /// channel elsewhere comes in without rank. Every node then ends with the same channel.
  private func joinRemote(
    _ client: Client, channelName name: String, created: ChannelCreation, membership: Membership,
    line: IRCMessage?
  ) {
    let folded = fold(name)
    let channel: Channel
    var membership = membership
    if let existing = channels[folded] {
      channel = existing
      if created < channel.creation {
        yieldToOlderChannel(channel, created: created)
      } else if created > channel.creation {
        membership = Membership()
      }
    } else {
      channel = Channel(name: name, foldedName: folded, createdAtMilliseconds: created.milliseconds)
      channel.createdOnNode = created.node
      channels[folded] = channel
    }
    guard channel.members[client.id] == nil else {
      channel.setMembership(membership, for: client.id)
      return
    }
    channel.add(client.id, as: membership)
    client.channels.insert(folded)
    // A join from a burst has no line of its own: this node's members in the channel still
    // need to see the newcomer.
    let line =
      line
      ?? IRCMessage(
        tags: serverTags(msgid: false, from: client), source: client.prefix, command: "JOIN",
        params: [channel.name])
    var extended = line
    extended.params = [channel.name, client.account?.name ?? "*", client.realname]
    broadcast(line, to: channel, lacking: .extendedJoin)
    broadcast(extended, to: channel, requiring: .extendedJoin)
    if let away = client.awayMessage {
      let awayLine = IRCMessage(
        tags: serverTags(msgid: false, from: client), source: client.prefix, command: "AWAY",
        params: [away])
      broadcast(awayLine, to: channel, requiring: .awayNotify)
    }
  }

  /// This node's channel turned out younger than one of the same name on another node: its
  /// members lose their ranks (shown to the local members as a server `MODE`) and its modes
  /// and lists go back to the defaults, to be set by the older channel's events.
  private func yieldToOlderChannel(_ channel: Channel, created: ChannelCreation) {
    channel.createdAtMilliseconds = created.milliseconds
    channel.createdOnNode = created.node
    // A registered room (configured, or restored from the shared store) is the same room on
    // every node, its modes and operators the stored ones: nothing to give way on, only the
    // older date to take.
    guard !channel.isRegistered else { return }
    channel.modes = ChannelModes()
    channel.bans = []
    channel.banExceptions = []
    channel.inviteExceptions = []
    for id in channel.memberOrder {
      guard let rank = channel.members[id], rank != Membership(), let member = clients[id]
      else { continue }
      channel.setMembership(Membership(), for: id)
      let letters = (rank.isOperator ? "o" : "") + (rank.isVoiced ? "v" : "")
      let nicks = Array(repeating: member.displayNick, count: letters.count)
      let mode = IRCMessage(
        tags: serverTags(msgid: false), source: configuration.serverName, command: "MODE",
        params: [channel.name, "-" + letters] + nicks)
      broadcast(mode, to: channel)
    }
  }

  /// Applies the changes a `MODE` line shows (as `handleChannelMode` applied them on the node
  /// that made it: every change in it was allowed there).
  private func applyModeLine(_ line: IRCMessage, to channel: Channel) {
    guard line.params.count >= 2 else { return }
    var arguments = line.params.dropFirst(2).makeIterator()
    var adding = true
    let setBy = line.source ?? configuration.serverName
    let now = clock.wallClockMilliseconds()
    for letter in line.params[1] {
      switch letter {
      case "+": adding = true
      case "-": adding = false
      case "o", "v":
        guard let nick = arguments.next(), let target = client(named: nick),
          var rank = channel.members[target.id]
        else { continue }
        if letter == "o" { rank.isOperator = adding } else { rank.isVoiced = adding }
        channel.setMembership(rank, for: target.id)
      case "k":
        let key = arguments.next()
        channel.modes.key = adding ? key : nil
      case "l":
        if adding {
          channel.modes.limit = arguments.next().flatMap { Int($0) }
        } else {
          channel.modes.limit = nil
        }
      case "b", "e", "I":
        guard let mask = arguments.next() else { continue }
        var entries = channel.list(letter)
        entries.removeAll { fold($0.mask) == fold(mask) }
        if adding { entries.append(ListEntry(mask: mask, setBy: setBy, setAtMilliseconds: now)) }
        channel.setList(letter, entries)
      case "C": channel.modes.noCTCP = adding
      case "i": channel.modes.inviteOnly = adding
      case "m": channel.modes.moderated = adding
      case "n": channel.modes.noExternalMessages = adding
      case "s": channel.modes.secret = adding
      case "t": channel.modes.topicLocked = adding
      default: continue
      }
    }
  }

  /// Takes a channel's state from a burst: the older channel's state wins (see
  /// `joinRemote`); for the same channel, this node's own view stands when it has members in it.
  private func adoptChannelState(_ state: NetworkChannelState) {
    let folded = fold(state.name)
    let channel: Channel
    if let existing = channels[folded] {
      if state.created < existing.creation {
        yieldToOlderChannel(existing, created: state.created)
      } else {
        let hasLocalMembers = existing.memberOrder.contains { clients[$0]?.home == nil }
        guard state.created == existing.creation, !hasLocalMembers else { return }
      }
      channel = existing
    } else {
      channel = Channel(
        name: state.name, foldedName: folded, createdAtMilliseconds: state.created.milliseconds)
      channel.createdOnNode = state.created.node
      channels[folded] = channel
    }
    channel.topic = state.topic
    channel.modes = state.modes
    channel.bans = state.bans
    channel.banExceptions = state.banExceptions
    channel.inviteExceptions = state.inviteExceptions
  }

  /// What this node serves, for a node that just started: every registered local client and
  /// every channel with local members, with their memberships.
  private func publishBurst() {
    for client in clients.values where client.home == nil && client.isRegistered {
      publish(.introduce(networkUser(client)))
    }
    for channel in channels.values {
      let locals = channel.memberOrder.filter { clients[$0]?.home == nil }
      guard !locals.isEmpty else { continue }
      publish(
        .channelState(
          NetworkChannelState(
            name: channel.name, created: channel.creation,
            topic: channel.topic, modes: channel.modes, bans: channel.bans,
            banExceptions: channel.banExceptions, inviteExceptions: channel.inviteExceptions)))
      for id in locals {
        guard let client = clients[id], let membership = channel.members[id] else { continue }
        publish(
          .join(
            networkRef(client), channel: channel.name, created: channel.creation,
            membership: membership, line: nil))
      }
    }
  }
}
