import LyceumProtocol

/// A client anywhere on the network: the node it is connected to and its id there.
///
/// A node's id is fresh at every start (see `NetworkNode`), so a ref never names a client of
/// an earlier run of the same server.
public struct NetworkClientRef: Codable, Hashable, Sendable, CustomStringConvertible {
  public var node: String
  public var id: UInt64

  public init(node: String, id: UInt64) {
    self.node = node
    self.id = id
  }

  public var description: String { "\(node)/\(id)" }
}

/// What one node tells the others about a person connected to it: on registration, and again
/// in a burst when another node starts.
public struct NetworkUser: Codable, Sendable, Equatable {
  public var ref: NetworkClientRef
  public var nick: String
  public var user: String
  public var host: String
  public var realname: String
  public var account: AccountSummary?
  public var isInvisible: Bool
  public var isOperator: Bool
  public var isBot: Bool
  public var isTLS: Bool
  public var awayMessage: String?
  public var signonMilliseconds: Int64
  /// The server name of the client's node, for `WHOIS` and `WHO` elsewhere.
  public var server: String?
}

/// When and on which node a channel was created. On a network the older creation of two
/// channels of one name wins (see `IRCServerCore.joinRemote`); two created in the same
/// millisecond are told apart by node id, so that every node picks the same one.
public struct ChannelCreation: Codable, Sendable, Equatable, Comparable {
  public var milliseconds: Int64
  public var node: String

  public init(milliseconds: Int64, node: String) {
    self.milliseconds = milliseconds
    self.node = node
  }

  public static func < (lhs: ChannelCreation, rhs: ChannelCreation) -> Bool {
    (lhs.milliseconds, lhs.node) < (rhs.milliseconds, rhs.node)
  }
}

/// A channel's shared state, sent in a burst so that a node that starts learns the modes,
/// lists and topic of the channels the others already have.
public struct NetworkChannelState: Codable, Sendable, Equatable {
  public var name: String
  public var created: ChannelCreation
  public var topic: Topic?
  public var modes: ChannelModes
  public var bans: [ListEntry]
  public var banExceptions: [ListEntry]
  public var inviteExceptions: [ListEntry]
}

/// One IRC line as the node that made it sent it to its own clients, tags (`time`, `msgid`,
/// `account`) included, so every node shows the same line and history has one msgid for it.
public struct NetworkLine: Codable, Sendable, Equatable {
  public var message: IRCMessage

  public init(_ message: IRCMessage) { self.message = message }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do {
      message = try IRCMessage(parsing: text)
    } catch {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not an IRC line: \(error)"))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var bytes = message.serialized()
    while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
    var container = encoder.singleValueContainer()
    try container.encode(String(decoding: bytes, as: UTF8.self))
  }
}

/// A change one node made that the other nodes of the network must apply to their own view
/// and show their own clients. Lines carry the change as the node's clients saw it.
public enum NetworkEvent: Codable, Sendable, Equatable {
  /// A node started: every other node sends a burst of what it serves.
  case hello
  /// A client registered (or is in a burst), or its user modes or account changed.
  case introduce(NetworkUser)
  /// A client changed its nick; the new nick is the line's parameter.
  case nick(NetworkClientRef, line: NetworkLine)
  /// A client left the network; no line when it never registered (only its nick claim goes).
  case quit(NetworkClientRef, line: NetworkLine?)
  /// A client joined a channel (created as `created` says, on its node); no line in a burst.
  case join(
    NetworkClientRef, channel: String, created: ChannelCreation, membership: Membership,
    line: NetworkLine?)
  case part(NetworkClientRef, channel: String, line: NetworkLine)
  case kick(target: NetworkClientRef, channel: String, line: NetworkLine)
  case topic(channel: String, topic: Topic?, line: NetworkLine)
  /// Applied mode changes, as the `MODE` line shows them.
  case mode(channel: String, line: NetworkLine)
  /// A channel's modes, lists and topic, in a burst.
  case channelState(NetworkChannelState)
  /// A line from `from` to a channel's members (or its `@`/`+` members) whose sessions have
  /// `requiring`: `PRIVMSG`, `NOTICE`, `TAGMSG`, `REDACT`.
  case channelLine(
    from: NetworkClientRef, channel: String, statusPrefix: String?, requiring: CapabilitySet,
    line: NetworkLine)
  /// The same to one client of another node.
  case directLine(
    from: NetworkClientRef, to: NetworkClientRef, requiring: CapabilitySet, line: NetworkLine)
  /// A `draft/multiline` message (`message` carries the combined text and the tags) to a
  /// channel, or to `to` when it is a direct one.
  case multiline(
    from: NetworkClientRef, channel: String?, statusPrefix: String?, to: NetworkClientRef?,
    message: NetworkLine, lines: [MultilineLine])
  /// A `KNOCK` (the `710` line), for the channel's operators.
  case knock(channel: String, line: NetworkLine)
  /// An account's read marker moved forward (`MARKREAD`), for its sessions on every node.
  case readMarker(account: String, target: String, milliseconds: Int64)
  /// An `INVITE` of a client of another node: it may then join past `+i`, `+k`, `+l` and bans.
  case invite(target: NetworkClientRef, channel: String, line: NetworkLine)
  /// An IRC operator's `KILL` of a client of another node, which disconnects it.
  case kill(target: NetworkClientRef, reason: String)
  /// A registered room's stored state changed (registered, operators, description, kind,
  /// persistent modes).
  case room(RoomRecord)
  /// A room was unregistered.
  case roomUnregistered(channel: String)
  /// An account was created or changed (role, institution, display name).
  case account(AccountSummary)
  /// An account was deleted.
  case accountDeleted(folded: String)
  case away(NetworkClientRef, line: NetworkLine)
  case setname(NetworkClientRef, line: NetworkLine)
  /// A node's lease ran out: its clients are gone.
  case nodeLost(node: String)
}

/// An event and the node that published it.
public struct NetworkEnvelope: Sendable, Equatable {
  public var origin: String
  public var event: NetworkEvent

  public init(origin: String, event: NetworkEvent) {
    self.origin = origin
    self.event = event
  }
}

/// What a batch of output publishes to the network, in the same transaction as the history
/// entries it keeps.
public struct NetworkPublication: Sendable, Equatable {
  public var node: String
  public internal(set) var events: [NetworkEvent] = []

  public init(node: String, events: [NetworkEvent] = []) {
    self.node = node
    self.events = events
  }

  public var isEmpty: Bool { events.isEmpty }

  public mutating func append(_ other: NetworkPublication) {
    events += other.events
  }
}

/// A local client's network nick claim to give up: the folded `nick`, or every one it holds
/// when nil. Released through the same queue as the client's claims, in the order the core
/// asked, so that a release can never delete a claim made after it.
public struct NickRelease: Sendable, Equatable {
  public var client: UInt64
  public var nick: String?

  public init(client: UInt64, nick: String?) {
    self.client = client
    self.nick = nick
  }
}

/// A nick a local client wants on the network; the server asks the shared database and answers
/// with `IRCServerCore.nickClaimAnswered(_:folded:for:)`.
public struct NickClaim: Sendable, Equatable {
  public var connection: ClientID
  public var client: UInt64
  public var folded: String
}

/// A history store that is also the network's event log: it commits entries and a publication
/// in one transaction (PostgreSQL, for several nodes on one database).
public protocol NetworkPublishingHistoryStore: HistoryStore {
  func append(_ entries: [HistoryEntry], publishing publication: NetworkPublication) throws
}
