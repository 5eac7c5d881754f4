/// The persistent state of one registered room: what survives a restart.
///
/// Members, their ranks and pending invitations are not part of it; the operators are kept by
/// account, and members logged in to one of those accounts (or the owner's) get `+o` on join.
public struct RoomRecord: Codable, Sendable, Equatable {
  /// The channel name as first created (display form).
  public var name: String
  /// `name` under the server's case mapping: the primary key.
  public var foldedName: String
  /// The folded name of the account that registered the room.
  public var owner: String
  /// Folded names of the accounts whose users are opped on join, besides the owner.
  public var operatorAccounts: Set<String>
  public var topic: Topic?
  /// `i k l m n s t`.
  public var modes: ChannelModes
  /// `+b` entries, in the order they were set.
  public var bans: [ListEntry]
  /// `+I` entries, in the order they were set.
  public var inviteExceptions: [ListEntry]
  /// `+e` entries, in the order they were set.
  public var banExceptions: [ListEntry]
  public var createdAtMilliseconds: Int64
  /// What the room is about, set with `ROOM SET <#room> DESCRIPTION`; at most
  /// `limits.roomDescriptionLength` bytes.
  public var description: String?
  /// What the room is for, set with `ROOM SET <#room> KIND`.
  public var kind: RoomKind?

  public init(
    name: String, foldedName: String, owner: String, operatorAccounts: Set<String> = [],
    topic: Topic? = nil, modes: ChannelModes = ChannelModes(), bans: [ListEntry] = [],
    inviteExceptions: [ListEntry] = [], banExceptions: [ListEntry] = [],
    createdAtMilliseconds: Int64, description: String? = nil, kind: RoomKind? = nil
  ) {
    self.name = name
    self.foldedName = foldedName
    self.owner = owner
    self.operatorAccounts = operatorAccounts
    self.topic = topic
    self.modes = modes
    self.bans = bans
    self.inviteExceptions = inviteExceptions
    self.banExceptions = banExceptions
    self.createdAtMilliseconds = createdAtMilliseconds
    self.description = description
    self.kind = kind
  }
}

extension Channel {
  /// Whether the room has an owner and so outlives its members and restarts.
  public var isRegistered: Bool { owner != nil }

  /// Whether the server made the room from its configuration (see `ServerOwnedRoom`).
  public var isServerOwned: Bool { owner == ServerOwnedRoom.owner }

  /// The persistent state of a registered room; nil for an unregistered channel.
  public var roomRecord: RoomRecord? {
    guard let owner else { return nil }
    return RoomRecord(
      name: name, foldedName: foldedName, owner: owner, operatorAccounts: operatorAccounts,
      topic: topic, modes: modes, bans: bans, inviteExceptions: inviteExceptions,
      banExceptions: banExceptions, createdAtMilliseconds: createdAtMilliseconds,
      description: roomDescription, kind: kind)
  }

  /// Takes over a record's persistent state (not its name or creation time).
  func apply(_ record: RoomRecord) {
    owner = record.owner
    operatorAccounts = record.operatorAccounts
    topic = record.topic
    modes = record.modes
    bans = record.bans
    inviteExceptions = record.inviteExceptions
    banExceptions = record.banExceptions
    roomDescription = record.description
    kind = record.kind
  }
}
