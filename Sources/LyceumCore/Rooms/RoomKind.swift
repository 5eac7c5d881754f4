/// What a registered room is for, shown in `LIST` and on join and filtered with `LIST kind=…`.
///
/// `announcements` also changes who may speak: only channel operators and bot accounts, and
/// every message there is marked for notification (see `IRCServerCore+Announcements`).
public enum RoomKind: String, Codable, Sendable, Equatable, CaseIterable {
  /// Faculty exchange between partner institutions.
  case exchange
  /// A joint research room.
  case research
  /// Notices from the institution: only operators and bots speak.
  case announcements
  /// Conversation, the coffee corner.
  case social

  /// The names as a user types them, for error texts: `exchange, research, …`.
  public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The owner of a room the server made from its configuration: `*` is not a valid account name
/// (account names are nicknames), so no account can ever be this owner. Such a room is changed
/// by IRC operators and by its operators by account.
public enum ServerOwnedRoom {
  public static let owner = "*"
}
