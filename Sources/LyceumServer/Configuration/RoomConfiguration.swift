import LyceumCore
import LyceumProtocol

/// One entry of the file's `rooms:` list: a room the server creates and owns, so that the rooms
/// the MOTD names exist before anyone joins (see `IRCServerCore.applyConfiguredRooms()` for how
/// the file and the database combine at start-up and at reload).
///
/// Keys: `name` (required), `topic`, `description`, `kind` (`exchange`, `research`,
/// `announcements`, `social`), `modes` (flags from `Cimnst`, default `+nt`), `open-to` (a list
/// of institution globs: the room is `+i` with `+I $i:<glob>` for each) and `operators` (account
/// names made operators by account of the room).
public struct RoomConfiguration: Sendable, Equatable {
  public var name: String
  public var topic: String?
  public var description: String?
  public var kind: String?
  public var modes: String = "+nt"
  public var openTo: [String] = []
  public var operators: [String] = []

  public init(
    name: String, topic: String? = nil, description: String? = nil, kind: String? = nil,
    modes: String = "+nt", openTo: [String] = [], operators: [String] = []
  ) {
    self.name = name
    self.topic = topic
    self.description = description
    self.kind = kind
    self.modes = modes
    self.openTo = openTo
    self.operators = operators
  }

  /// The rooms of a new server: a lobby for everyone and a room for announcements.
  public static let defaults: [RoomConfiguration] = [
    RoomConfiguration(
      name: "#lobby", topic: "Welcome! Say hello; /list shows every room",
      description: "Start here: questions about the server and its rooms", kind: "social"),
    RoomConfiguration(
      name: "#announcements", description: "News from the institutions; only operators post",
      kind: "announcements"),
  ]

  /// The core's form; call after `validate(at:)`.
  var configuredRoom: ConfiguredRoom {
    var channelModes = ChannelModes()
    channelModes.noExternalMessages = false
    channelModes.topicLocked = false
    for letter in modes.dropFirst(modes.hasPrefix("+") ? 1 : 0) {
      switch letter {
      case "C": channelModes.noCTCP = true
      case "i": channelModes.inviteOnly = true
      case "m": channelModes.moderated = true
      case "n": channelModes.noExternalMessages = true
      case "s": channelModes.secret = true
      default: channelModes.topicLocked = true  // "t", the only other letter validation allows
      }
    }
    return ConfiguredRoom(
      name: name, topic: topic, description: description, kind: kind.flatMap(RoomKind.init),
      modes: channelModes, openTo: openTo, operators: operators)
  }

  /// Checks one entry; `key` is its place in the file (`rooms[0]`).
  func validate(at key: String, limits: LimitsConfiguration) throws {
    guard IRCNames.isValidChannel(name, maxLength: limits.channelLength) else {
      throw ConfigurationError.invalidValue(
        key: "\(key).name", value: name, reason: "expected a channel name such as #lobby")
    }
    if let topic, topic.utf8.count > limits.topicLength || topic.contains(where: \.isNewline) {
      throw ConfigurationError.invalidValue(
        key: "\(key).topic", value: topic,
        reason: "at most \(limits.topicLength) bytes, on one line")
    }
    let descriptionLimit = CoreConfiguration.Limits().roomDescriptionLength
    if let description,
      description.utf8.count > descriptionLimit || description.contains(where: \.isNewline)
    {
      throw ConfigurationError.invalidValue(
        key: "\(key).description", value: description,
        reason: "at most \(descriptionLimit) bytes, on one line")
    }
    if let kind, RoomKind(rawValue: kind) == nil {
      throw ConfigurationError.invalidValue(
        key: "\(key).kind", value: kind, reason: "expected one of \(RoomKind.allNames)")
    }
    let flags = modes.hasPrefix("+") ? modes.dropFirst() : Substring(modes)
    guard flags.allSatisfy({ "Cimnst".contains($0) }) else {
      throw ConfigurationError.invalidValue(
        key: "\(key).modes", value: modes, reason: "expected flags from Cimnst, such as +nt")
    }
    for glob in openTo where glob.isEmpty || glob.contains(where: \.isWhitespace) {
      throw ConfigurationError.invalidValue(
        key: "\(key).open-to", value: glob,
        reason: "expected institution globs without spaces (Universidad*Salamanca)")
    }
    for account in operators where !IRCNames.isValidNick(account, maxLength: 30) {
      throw ConfigurationError.invalidValue(
        key: "\(key).operators", value: account, reason: "expected account names")
    }
  }
}

extension RoomConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, topic, description, kind, modes, operators
    case openTo = "open-to"
  }

  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    let text = "a text value"
    self.init(
      name: try file.optional(String.self, .name, expecting: "a channel name") ?? "",
      topic: try file.optional(String.self, .topic, expecting: text),
      description: try file.optional(String.self, .description, expecting: text),
      kind: try file.optional(String.self, .kind, expecting: "a room kind"),
      modes: try file.optional(String.self, .modes, expecting: "mode flags such as +nt") ?? "+nt",
      openTo: try file.optional([String].self, .openTo, expecting: "a list of globs") ?? [],
      operators: try file.optional([String].self, .operators, expecting: "a list of accounts")
        ?? [])
  }
}

extension ServerConfiguration {
  /// The message of the day when the file sets none: a welcome naming the configured rooms.
  static func defaultMOTD(rooms: [RoomConfiguration]) -> [String] {
    var lines = ["Welcome to Lyceum, a chat server for academic collaboration."]
    if rooms.isEmpty {
      lines.append("Rooms are IRC channels: /list shows them, /join #name enters one.")
    } else {
      lines.append("Rooms to start with:")
      for room in rooms {
        let about = [room.kind.map { "[\($0)]" }, room.description].compactMap { $0 }
        lines.append(
          "  /join \(room.name)" + (about.isEmpty ? "" : "  " + about.joined(separator: " ")))
      }
      lines.append("/list shows every room; /list kind=research the research rooms.")
    }
    lines.append("Operators: set motd or motd-file in the configuration to change this message.")
    return lines
  }
}
