import LyceumProtocol

/// One channel: its members, their prefixes, topic, modes and lists.
///
/// A reference type owned by `IRCServerCore`, touched only on the core's queue.
public final class Channel {
  public let name: String
  public let foldedName: String
  /// When the channel was created; on a network, the older of two channels of one name
  /// created on two nodes at once wins (see `IRCServerCore.joinRemote`).
  public internal(set) var createdAtMilliseconds: Int64
  /// The network node that created the channel ("" off a network, and for rooms restored from
  /// the store, which every node restores alike).
  public internal(set) var createdOnNode = ""

  /// When and where the channel was created, for telling two creations apart on a network.
  var creation: ChannelCreation {
    ChannelCreation(milliseconds: createdAtMilliseconds, node: createdOnNode)
  }

  public internal(set) var topic: Topic?
  public internal(set) var modes = ChannelModes()
  public internal(set) var bans: [ListEntry] = []
  /// `+e` ban exceptions: masks that a ban (a mute ban too) does not keep out or silence.
  public internal(set) var banExceptions: [ListEntry] = []
  /// `+I` invite exceptions: masks that may join an invite-only channel without an INVITE.
  public internal(set) var inviteExceptions: [ListEntry] = []
  /// Clients invited since they last joined; an invite lets them past `+i`, `+k`, `+l` and bans.
  public internal(set) var invited: Set<ClientID> = []
  /// The folded name of the account that registered the room; nil for an ordinary channel,
  /// which is forgotten when its last member leaves. See `RoomRecord`.
  public internal(set) var owner: String?
  /// Folded names of the accounts opped on join in a registered room, besides the owner's.
  public internal(set) var operatorAccounts: Set<String> = []
  /// A registered room's description (`ROOM SET … DESCRIPTION`); nil when none is set.
  public internal(set) var roomDescription: String?
  /// A registered room's kind (`ROOM SET … KIND`); nil when none is set.
  public internal(set) var kind: RoomKind?
  /// When the last `KNOCK` at this channel was delivered (monotonic), for the per-channel
  /// knock limit; one value per channel, so knocks never grow memory.
  var lastKnockAt: Duration?

  /// Members in join order with their prefixes; order makes NAMES and WHO stable.
  public private(set) var memberOrder: [ClientID] = []
  public private(set) var members: [ClientID: Membership] = [:]
  /// Cached by `IRCServerCore.recipients(of:)`, valid while `recipientsVersion` equals
  /// `DeliveryTopology.version`; emptied when the membership changes, so that it never keeps a
  /// departed member's session alive for long.
  var recipients: [(ClientID, Session)] = []
  var recipientsVersion = UInt64.max

  init(name: String, foldedName: String, createdAtMilliseconds: Int64) {
    self.name = name
    self.foldedName = foldedName
    self.createdAtMilliseconds = createdAtMilliseconds
  }

  func add(_ id: ClientID, as membership: Membership) {
    if members.updateValue(membership, forKey: id) == nil {
      memberOrder.append(id)
      forgetRecipients()
    }
  }

  func remove(_ id: ClientID) {
    if members.removeValue(forKey: id) != nil {
      memberOrder.removeAll { $0 == id }
      forgetRecipients()
    }
  }

  private func forgetRecipients() {
    recipients = []
    recipientsVersion = .max
  }

  func setMembership(_ membership: Membership, for id: ClientID) {
    if members[id] != nil { members[id] = membership }
  }

  public var isEmpty: Bool { members.isEmpty }

  /// The list of mode `letter`: `b` bans, `e` ban exceptions, `I` invite exceptions.
  func list(_ letter: Character) -> [ListEntry] {
    switch letter {
    case "b": bans
    case "e": banExceptions
    default: inviteExceptions
    }
  }

  func setList(_ letter: Character, _ entries: [ListEntry]) {
    switch letter {
    case "b": bans = entries
    case "e": banExceptions = entries
    default: inviteExceptions = entries
    }
  }
}

/// A member's channel privileges. Ordered: operator above voice.
public struct Membership: Codable, Sendable, Equatable {
  public var isOperator = false
  public var isVoiced = false

  public init(isOperator: Bool = false, isVoiced: Bool = false) {
    self.isOperator = isOperator
    self.isVoiced = isVoiced
  }

  /// Prefix characters, highest first: all of them (`multi-prefix`) or only the highest.
  public func prefixes(all: Bool) -> String {
    var out = ""
    if isOperator { out += "@" }
    if isVoiced && (all || out.isEmpty) { out += "+" }
    return out
  }
}

/// The topic and who set it when, for `332`/`333`.
public struct Topic: Codable, Sendable, Equatable {
  public var text: String
  public var setBy: String
  public var setAtMilliseconds: Int64

  public init(text: String, setBy: String, setAtMilliseconds: Int64) {
    self.text = text
    self.setBy = setBy
    self.setAtMilliseconds = setAtMilliseconds
  }
}

/// One entry of a list mode (`+b`, `+I`).
public struct ListEntry: Codable, Sendable, Equatable {
  public var mask: String
  public var setBy: String
  public var setAtMilliseconds: Int64

  public init(mask: String, setBy: String, setAtMilliseconds: Int64) {
    self.mask = mask
    self.setBy = setBy
    self.setAtMilliseconds = setAtMilliseconds
  }
}

/// The simple channel modes (`C i k l m n t s`).
public struct ChannelModes: Codable, Sendable, Equatable {
  public var inviteOnly = false
  public var key: String?
  public var limit: Int?
  public var moderated = false
  public var noExternalMessages = true
  public var topicLocked = true
  public var secret = false
  /// `+C`: no CTCP to the channel except `ACTION` (`/me`).
  public var noCTCP = false

  public init() {}

  /// The `324` form: flags then parameters; the key is shown only to members.
  public func render(showKey: Bool) -> [String] {
    var flags = "+"
    var params: [String] = []
    if noCTCP { flags += "C" }
    if inviteOnly { flags += "i" }
    if let key {
      flags += "k"
      params.append(showKey ? key : "*")
    }
    if let limit {
      flags += "l"
      params.append(String(limit))
    }
    if moderated { flags += "m" }
    if noExternalMessages { flags += "n" }
    if secret { flags += "s" }
    if topicLocked { flags += "t" }
    return [flags] + params
  }
}
