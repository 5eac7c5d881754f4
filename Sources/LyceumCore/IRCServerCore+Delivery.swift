import LyceumProtocol

/// How messages reach connections: one client's sessions, a channel's members, a client's
/// peers, each serialized once per distinct set of tag-affecting capabilities.
extension IRCServerCore {
  /// Appends one message for one connection, filtered for its capabilities.
  func deliver(_ message: IRCMessage, to session: Session) {
    var bytes: [UInt8] = []
    TagVisibility.append(message, for: session.capabilities, to: &bytes)
    outbox.append(bytes, to: session)
  }

  /// Sends `message` to every registered session of `client` (that has `capability` and lacks
  /// every one of `lacking`), except `excluded`.
  func deliver(
    _ message: IRCMessage, to client: Client, except excluded: Session? = nil,
    requiring capability: CapabilitySet = [], lacking: CapabilitySet = []
  ) {
    var fanOut = FanOutMessage(message)
    for session in client.registeredSessions
    where session !== excluded && session.capabilities.isSuperset(of: capability)
      && (lacking.isEmpty || session.capabilities.isDisjoint(with: lacking))
    {
      outbox.append(fanOut.bytes(for: session.capabilities), to: session)
    }
  }

  /// Sends `message` to every session of every member of `channel` except the session
  /// `excluded` (usually the one whose command this is: it gets its copy as a reply), so the
  /// sender's other sessions see it too. Optionally only to sessions with (or without) a
  /// capability (`away-notify`, `extended-join` …).
  func broadcast(
    _ message: IRCMessage, to channel: Channel, except excluded: Session? = nil,
    requiring capability: CapabilitySet = [], lacking: CapabilitySet = [],
    where include: (ClientID) -> Bool = { _ in true }
  ) {
    var fanOut = FanOutMessage(message)
    Self.append(
      &fanOut, to: recipients(of: channel), except: excluded, requiring: capability,
      lacking: lacking, where: include, into: &outbox)
  }

  /// `broadcast`'s loop, with the outbox passed in: one exclusive access to the core's
  /// `outbox` for the whole channel instead of one per member.
  ///
  /// Why: `outbox` is a stored property of a class, so each `outbox.append` inside the loop
  /// was a run-time exclusivity check (`swift_beginAccess`, a thread-local lookup, and
  /// `swift_endAccess`): about 4 % of the server's CPU samples (`perf`) at `fanout --clients
  /// 200 --rate 0`.
  private static func append(
    _ fanOut: inout FanOutMessage, to recipients: [(ClientID, Session)], except excluded: Session?,
    requiring capability: CapabilitySet, lacking: CapabilitySet,
    where include: (ClientID) -> Bool, into outbox: inout Outbox
  ) {
    // Through the buffer, by index: a `for (id, session) in` loop copied each element,
    // retaining and releasing its session.
    recipients.withUnsafeBufferPointer { recipients in
      for index in recipients.indices {
        let id = recipients[index].0
        let session = recipients[index].1
        guard session !== excluded, include(id),
          session.capabilities.isSuperset(of: capability),
          lacking.isEmpty || session.capabilities.isDisjoint(with: lacking)
        else { continue }
        outbox.append(fanOut.bytes(for: session.capabilities), to: session)
      }
    }
  }

  /// Sends `message` once to every client sharing a channel with `client`, and to `client`'s
  /// own sessions other than `excluded` when `includingOwnSessions` (a nick change, say).
  func broadcastToPeers(
    of client: Client, _ message: IRCMessage, except excluded: Session? = nil,
    includingOwnSessions: Bool = false, requiring capability: CapabilitySet = [],
    lacking: CapabilitySet = []
  ) {
    var fanOut = FanOutMessage(message)
    var seen: Set<ClientID> = includingOwnSessions ? [] : [client.id]
    var recipients: [Client] = includingOwnSessions ? [client] : []
    if includingOwnSessions { seen.insert(client.id) }
    for name in client.channels {
      guard let channel = channels[name] else { continue }
      for id in channel.memberOrder where seen.insert(id).inserted {
        if let peer = clients[id] { recipients.append(peer) }
      }
    }
    for peer in recipients {
      for session in peer.registeredSessions where session !== excluded {
        guard session.capabilities.isSuperset(of: capability),
          lacking.isEmpty || session.capabilities.isDisjoint(with: lacking)
        else { continue }
        outbox.append(fanOut.bytes(for: session.capabilities), to: session)
      }
    }
  }

  /// Forgets one connection. The client goes with it when it was the last one: QUIT to its
  /// peers, a WHOWAS entry, nick and memberships released.
  func removeSession(_ session: Session, quitMessage: String) {
    markReadOnLeaving(session)
    abortSASL(session)
    sessions[session.id] = nil
    floodQueued.remove(session.id)
    let client = session.client
    client.sessions.removeAll { $0 === session }
    guard client.sessions.isEmpty else { return }
    removeClient(client, quitMessage: quitMessage)
  }

  /// Forgets a client whose sessions are all gone.
  func removeClient(_ client: Client, quitMessage: String) {
    if client.isRegistered {
      let quit = IRCMessage(
        tags: serverTags(msgid: true, from: client), source: client.prefix, command: "QUIT",
        params: ["Quit: \(quitMessage)"]
      ).cutToFit()
      keepInChannels(quit, of: client)
      broadcastToPeers(of: client, quit)
      publish(.quit(networkRef(client), line: NetworkLine(quit)))
      whowas.record(client, atMilliseconds: clock.wallClockMilliseconds(), caseMapping: caseMapping)
    }
    if client.home == nil && (client.isRegistered || client.claimedNick != nil) {
      if !client.isRegistered { publish(.quit(networkRef(client), line: nil)) }
      releaseNickClaim(of: client.id.raw, nick: nil)
    }
    for name in client.channels {
      guard let channel = channels[name] else { continue }
      channel.remove(client.id)
      forgetIfUnused(channel)
    }
    client.channels.removeAll()
    monitors.clear(for: client.id)
    if let folded = client.foldedNick, clientsByNick[folded] == client.id {
      clientsByNick[folded] = nil
      if client.isRegistered, let nick = client.nick { announceOffline(nick: nick, folded: folded) }
    }
    if clients[client.id] === client { clientCounts.remove(client) }
    clients[client.id] = nil
    client.account = nil  // out of the account index
  }

  /// Sends numerics and other replies to a session that did not ask for them (another
  /// session of the same client), built with the same `Replies` helpers as a command's.
  func reply(to session: Session, _ build: (inout Replies) -> Void) {
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    build(&replies)
    finish(replies, label: nil)
  }

  // MARK: - Labels and finishing a command

  func labelIfApplicable(_ message: IRCMessage, session: Session) -> String? {
    guard session.capabilities.isSuperset(of: [.labeledResponse, .batch]),
      case .some(.some(let label)) = message.tag("label"), !label.isEmpty,
      label.utf8.count <= 64  // the spec's limit; a longer label is ignored
    else { return nil }
    return label
  }

  /// Serializes a command's replies for the session that sent it, applying
  /// `labeled-response`.
  func finish(_ replies: Replies, label: String?) {
    let session = replies.session
    // A session removed by its own command (QUIT, a failed PASS) gets only its ERROR line.
    guard sessions[session.id] === session else { return }
    let bytes = labeledBytes(replies.messages, label: label, for: session)
    guard !bytes.isEmpty else { return }
    outbox.append(bytes, to: session)
  }

  /// Ends the part of the message just run: should its kept entries fail to be stored, its
  /// sender gets `withheldReplies` (with the command's label) and nobody gets anything else.
  func endMessagePart(_ session: Session, label: String?) {
    let messages = withheldReplies
    withheldReplies = []
    guard outbox.keptInPart > 0 else { return }
    outbox.endPart(
      failure: OutboxWrite(
        client: session.id, transportHandle: session.transportHandle,
        bytes: labeledBytes(messages, label: label, for: session)))
  }

  /// `messages` serialized for `session`, wrapped for labeled-response when `label` is set.
  private func labeledBytes(_ messages: [IRCMessage], label: String?, for session: Session)
    -> [UInt8]
  {
    var messages = messages
    if let label {
      switch messages.count {
      case 0:
        messages = [
          IRCMessage(
            tags: [IRCTag("label", label)], source: configuration.serverName, command: "ACK")
        ]
      case 1:
        messages[0].tags.insert(IRCTag("label", label), at: 0)
      default:
        let batchID = nextBatchID()
        // Lines already inside a nested batch (a chathistory batch's content) keep their own
        // tag; that batch's BATCH +/- lines carry this one.
        for index in messages.indices where messages[index].tag("batch") == nil {
          messages[index].tags.insert(IRCTag("batch", batchID), at: 0)
        }
        let start = IRCMessage(
          tags: [IRCTag("label", label)], source: configuration.serverName, command: "BATCH",
          params: ["+" + batchID, "labeled-response"])
        let end = IRCMessage(
          source: configuration.serverName, command: "BATCH", params: ["-" + batchID])
        messages = [start] + messages + [end]
      }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(messages.count * 96)
    for message in messages {
      TagVisibility.append(message, for: session.capabilities, to: &bytes)
    }
    return bytes
  }
}
