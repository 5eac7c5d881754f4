import LyceumProtocol

/// The IRC server's state and rules, with no I/O.
///
/// The transport feeds it connection events and parsed messages; it changes state and
/// accumulates an `Outbox` of bytes per client. It is not thread-safe: the server confines it to
/// one serial queue. Tests drive it directly with a `ManualClock`.
public final class IRCServerCore {
  public internal(set) var configuration: CoreConfiguration
  let clock: any ServerClock

  public internal(set) var clients: [ClientID: Client] = [:]
  /// Registered and pre-registration nicks, folded, to their owner.
  var clientsByNick: [String: ClientID] = [:]
  public internal(set) var channels: [String: Channel] = [:]
  var whowas = WhowasHistory(capacity: 1000)
  var messageIDs = MessageIDGenerator()
  var outbox = Outbox()
  var batchCounter: UInt64 = 0
  /// Highest number of registered clients seen, for `265`/`266`.
  var maxRegisteredClients = 0

  public init(configuration: CoreConfiguration, clock: any ServerClock) {
    self.configuration = configuration
    self.clock = clock
    self.whowas = WhowasHistory(capacity: configuration.limits.whowasEntries)
  }

  // MARK: - Entry points

  /// A connection was accepted (after its TLS handshake).
  public func clientConnected(
    _ id: ClientID, ip: String, isTLS: Bool, certificateFingerprint: String? = nil
  ) {
    let client = Client(
      id: id, ip: ip, isTLS: isTLS, now: clock.monotonicNow(),
      wallMilliseconds: clock.wallClockMilliseconds())
    client.tlsCertificateFingerprint = certificateFingerprint
    clients[id] = client
    if clients.count > configuration.limits.maxClients {
      disconnect(id, reason: "Server is full")
    }
  }

  /// One parsed message from a client.
  public func receive(_ message: IRCMessage, from id: ClientID) {
    guard let client = clients[id] else { return }
    client.lastActivity = clock.monotonicNow()
    client.pingSentAt = nil
    let command = message.uppercasedCommand
    var replies = Replies(serverName: configuration.serverName, target: client.displayNick)
    let label = labelIfApplicable(message, client: client)
    if Self.clientTagBytes(message) > Self.maxClientTagBytes {
      replies.numeric(.errInputTooLong, "Input line was too long")
    } else {
      dispatch(command: command, message: message, client: client, replies: &replies)
    }
    finish(replies, label: label, for: id)
  }

  /// A line that could not be turned into a message; answered without disconnecting.
  public func receiveInvalidLine(_ problem: InputProblem, from id: ClientID) {
    guard let client = clients[id] else { return }
    client.lastActivity = clock.monotonicNow()
    var replies = Replies(serverName: configuration.serverName, target: client.displayNick)
    switch problem {
    case .tooLong:
      replies.numeric(.errInputTooLong, "Input line was too long")
    case .invalidUTF8(let command):
      replies.standardReply(
        .fail, command: command ?? "*", code: "INVALID_UTF8",
        description: "Message rejected: it is not valid UTF-8")
    case .malformed:
      replies.standardReply(
        .fail, command: "*", code: "INVALID_MESSAGE",
        description: "Line ignored: no command, bad tags, or a NUL or stray CR in it")
    }
    finish(replies, label: nil, for: id)
  }

  /// The client must go: tell it why with `ERROR`, tell its peers with `QUIT`, forget it.
  /// Used for floods, timeouts and `KILL`; the transport closes after flushing.
  public func disconnect(_ id: ClientID, reason: String) {
    guard let client = clients[id] else { return }
    let error = IRCMessage(command: "ERROR", params: ["Closing Link: \(client.host) (\(reason))"])
    var bytes: [UInt8] = []
    error.appendSerialized(to: &bytes)
    outbox.append(bytes, to: id)
    removeClient(client, quitMessage: reason)
    outbox.closes.append(id)
  }

  /// The transport lost the connection (the peer closed, an I/O error, a full send queue).
  public func connectionClosed(_ id: ClientID, reason: String) {
    guard let client = clients[id] else { return }
    removeClient(client, quitMessage: reason)
  }

  /// Enforces registration and ping timeouts. The server calls it periodically.
  public func tick() {
    let now = clock.monotonicNow()
    let timeouts = configuration.timeouts
    for client in Array(clients.values) {
      if !client.isRegistered {
        if now - client.connectedAt >= timeouts.registration {
          disconnect(client.id, reason: "Registration timed out")
        }
      } else if let sentAt = client.pingSentAt {
        if now - sentAt >= timeouts.pingTimeout {
          let seconds = Int((now - client.lastActivity).components.seconds)
          disconnect(client.id, reason: "Ping timeout: \(seconds) seconds")
        }
      } else if now - client.lastActivity >= timeouts.pingInterval {
        client.pingSentAt = now
        deliver(
          IRCMessage(command: "PING", params: [configuration.serverName]), to: client)
      }
    }
  }

  /// The IRCv3 message-tags limit on the tag data a client may send (between `@` and space).
  static let maxClientTagBytes = 4094

  /// Bytes the message's tags take on the wire between `@` and the space, as the client sent
  /// them (every tag counts, client-only or not).
  static func clientTagBytes(_ message: IRCMessage) -> Int {
    guard !message.tags.isEmpty else { return 0 }
    var total = message.tags.count - 1
    for tag in message.tags {
      total += tag.key.utf8.count
      if let value = tag.value, !value.isEmpty {
        total += 1 + TagEscaping.escape(value).utf8.count
      }
    }
    return total
  }

  /// Everything produced since the last call.
  public func takeOutbox() -> Outbox {
    defer { outbox = Outbox() }
    return outbox
  }

  /// Replaces the configuration (REHASH/SIGHUP); nobody is disconnected.
  public func reconfigure(_ configuration: CoreConfiguration) {
    self.configuration = configuration
    whowas.capacity = configuration.limits.whowasEntries
  }

  /// Sends `ERROR` to everyone and forgets them; for shutdown.
  public func disconnectAll(reason: String) {
    for id in Array(clients.keys) { disconnect(id, reason: reason) }
  }

  // MARK: - Shared helpers for command handlers

  var caseMapping: CaseMapping { configuration.caseMapping }

  func fold(_ name: String) -> String { caseMapping.fold(name) }

  func client(named nick: String) -> Client? {
    clientsByNick[fold(nick)].flatMap { clients[$0] }
  }

  func channel(named name: String) -> Channel? { channels[fold(name)] }

  /// The channel called `name`, or nil after replying `403 ERR_NOSUCHCHANNEL`.
  func existingChannel(_ name: String, _ replies: inout Replies) -> Channel? {
    if let channel = channel(named: name) { return channel }
    replies.numeric(.errNoSuchChannel, name, "No such channel")
    return nil
  }

  /// `client`'s membership of `channel`, or nil after replying `442 ERR_NOTONCHANNEL`.
  func membership(of client: Client, in channel: Channel, _ replies: inout Replies)
    -> Membership?
  {
    if let membership = channel.members[client.id] { return membership }
    replies.numeric(.errNotOnChannel, channel.name, "You're not on that channel")
    return nil
  }

  var registeredClientCount: Int { clients.values.lazy.filter(\.isRegistered).count }

  /// Tags every relayed message carries: `time` and, when given, `msgid`.
  func serverTags(msgid: Bool) -> [IRCTag] {
    let now = clock.wallClockMilliseconds()
    var tags = [IRCTag("time", ServerTime.format(milliseconds: now))]
    if msgid { tags.append(IRCTag("msgid", messageIDs.next(wallClockMilliseconds: now))) }
    return tags
  }

  func nextBatchID() -> String {
    batchCounter += 1
    return "b\(batchCounter)"
  }

  /// Appends one message for one client, filtered for its capabilities.
  func deliver(_ message: IRCMessage, to client: Client) {
    var bytes: [UInt8] = []
    TagVisibility.append(message, for: client.capabilities, to: &bytes)
    outbox.append(bytes, to: client.id)
  }

  /// Sends `message` to every member of `channel` except `excluded`, at most once each,
  /// optionally only to members with a capability (`away-notify` …).
  func broadcast(
    _ message: IRCMessage, to channel: Channel, except excluded: ClientID? = nil,
    requiring capability: CapabilitySet = [], lacking: CapabilitySet = []
  ) {
    var fanOut = FanOutMessage(message)
    for id in channel.memberOrder where id != excluded {
      guard let member = clients[id],
        member.capabilities.isSuperset(of: capability),
        lacking.isEmpty || member.capabilities.isDisjoint(with: lacking)
      else { continue }
      outbox.append(fanOut.bytes(for: member.capabilities), to: id)
    }
  }

  /// Sends `message` once to every client sharing a channel with `client` (not to `client`).
  func broadcastToPeers(
    of client: Client, _ message: IRCMessage, requiring capability: CapabilitySet = [],
    lacking: CapabilitySet = []
  ) {
    var fanOut = FanOutMessage(message)
    var seen: Set<ClientID> = [client.id]
    for name in client.channels {
      guard let channel = channels[name] else { continue }
      for id in channel.memberOrder where seen.insert(id).inserted {
        guard let peer = clients[id],
          peer.capabilities.isSuperset(of: capability),
          lacking.isEmpty || peer.capabilities.isDisjoint(with: lacking)
        else { continue }
        outbox.append(fanOut.bytes(for: peer.capabilities), to: id)
      }
    }
  }

  /// Forgets a client: QUIT to its peers, WHOWAS entry, nick and memberships released.
  func removeClient(_ client: Client, quitMessage: String) {
    if client.isRegistered {
      let quit = IRCMessage(
        tags: serverTags(msgid: true), source: client.prefix, command: "QUIT",
        params: ["Quit: \(quitMessage)"])
      broadcastToPeers(of: client, quit)
      whowas.record(client, atMilliseconds: clock.wallClockMilliseconds(), caseMapping: caseMapping)
    }
    for name in client.channels {
      guard let channel = channels[name] else { continue }
      channel.remove(client.id)
      if channel.isEmpty { channels[name] = nil }
    }
    client.channels.removeAll()
    if let folded = client.foldedNick, clientsByNick[folded] == client.id {
      clientsByNick[folded] = nil
    }
    clients[client.id] = nil
  }

  // MARK: - Labels and finishing a command

  private func labelIfApplicable(_ message: IRCMessage, client: Client) -> String? {
    guard client.capabilities.isSuperset(of: [.labeledResponse, .batch]),
      case .some(.some(let label)) = message.tag("label"), !label.isEmpty,
      label.utf8.count <= 64  // the spec's limit; a longer label is ignored
    else { return nil }
    return label
  }

  /// Serializes a command's replies for its client, applying `labeled-response`.
  func finish(_ replies: Replies, label: String?, for id: ClientID) {
    // A client removed by its own command (QUIT, a failed PASS) gets only its ERROR line.
    guard let client = clients[id] else { return }
    var messages = replies.messages
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
        for index in messages.indices {
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
    guard !messages.isEmpty else { return }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(messages.count * 96)
    for message in messages {
      TagVisibility.append(message, for: client.capabilities, to: &bytes)
    }
    outbox.append(bytes, to: id)
  }
}

/// A line the framer or parser could not accept.
public enum InputProblem: Sendable, Equatable {
  /// Longer than the tag or body limit (`417`).
  case tooLong
  /// Not valid UTF-8; the command word when it could be read (`FAIL <cmd> INVALID_UTF8`).
  case invalidUTF8(command: String?)
  /// No command, a malformed tag section, or a NUL or stray CR (`FAIL * INVALID_MESSAGE`).
  case malformed
}
