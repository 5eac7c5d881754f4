import Foundation
import LyceumCore

/// Reading `ServerConfiguration` from the file's kebab-case keys. Absent keys keep their
/// defaults; unknown keys and wrongly typed values are errors naming the key.
extension ServerConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case serverName = "server-name"
    case networkName = "network-name"
    case dataDirectory = "data-directory"
    case store
    case listeners
    case tlsCertificatePath = "tls-certificate-path"
    case tlsKeyPath = "tls-key-path"
    case password
    case motd
    case motdFile = "motd-file"
    case operators
    case limits
    case timeouts
    case sts
    case accounts
    case history
    case flood
    case connections
    case adminInfo = "admin-info"
    case logLevel = "log-level"
    case rooms
    case botsListener = "bots-listener"
    case network
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    let text = "a text value"
    serverName = try file.optional(String.self, .serverName, expecting: text) ?? serverName
    networkName = try file.optional(String.self, .networkName, expecting: text) ?? networkName
    dataDirectory = try file.optional(String.self, .dataDirectory, expecting: text) ?? dataDirectory
    if let location = try file.optional(
      String.self, .store, expecting: "sqlite or a postgresql:// URL")
    {
      store = try StoreConfiguration.parse(location)
    }
    listeners =
      try file.optional([ListenerConfiguration].self, .listeners, expecting: "a list of listeners")
      ?? listeners
    tlsCertificatePath = try file.optional(String.self, .tlsCertificatePath, expecting: text)
    tlsKeyPath = try file.optional(String.self, .tlsKeyPath, expecting: text)
    password = try file.optional(String.self, .password, expecting: text)
    let lines = "a list of text lines"
    rooms =
      try file.optional([RoomConfiguration].self, .rooms, expecting: "a list of rooms") ?? rooms
    motd = Self.defaultMOTD(rooms: rooms)
    let motdLines = try file.optional([String].self, .motd, expecting: lines)
    if let path = try file.optional(String.self, .motdFile, expecting: "a file path") {
      guard motdLines == nil else {
        throw ConfigurationError.conflict("set either motd or motd-file, not both")
      }
      motd = try Self.readMOTD(path)
    } else if let motdLines {
      motd = motdLines
    }
    operators =
      try file.optional([OperatorConfiguration].self, .operators, expecting: "a list of operators")
      ?? operators
    limits = try file.optional(LimitsConfiguration.self, .limits, expecting: "a mapping") ?? limits
    timeouts =
      try file.optional(TimeoutsConfiguration.self, .timeouts, expecting: "a mapping") ?? timeouts
    sts = try file.optional(STSConfiguration.self, .sts, expecting: "a mapping") ?? sts
    accounts =
      try file.optional(AccountsConfiguration.self, .accounts, expecting: "a mapping") ?? accounts
    history =
      try file.optional(HistoryConfiguration.self, .history, expecting: "a mapping") ?? history
    flood = try file.optional(FloodConfiguration.self, .flood, expecting: "a mapping") ?? flood
    connections =
      try file.optional(ConnectionsConfiguration.self, .connections, expecting: "a mapping")
      ?? connections
    adminInfo = try file.optional([String].self, .adminInfo, expecting: lines) ?? adminInfo
    logLevel = try file.optional(String.self, .logLevel, expecting: text) ?? logLevel
    botsListener = try file.optional(
      BotsListenerConfiguration.self, .botsListener, expecting: "a mapping")
    network = try file.optional(NetworkConfiguration.self, .network, expecting: "a mapping")
  }

  /// The lines of a message-of-the-day file, read once at load (and reload) time.
  static func readMOTD(_ path: String) throws -> [String] {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigurationError.unreadableFile(path: path, reason: "motd-file: \(error)")
    }
    // "\r\n" is one Character in Swift, so split on any newline rather than on "\n".
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}

extension ListenerConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case host, port, tls
    case certificatePath = "certificate-path"
    case keyPath = "key-path"
  }

  /// Defaults: `tls: true`; then port 6697 on `::` for TLS, 6667 on `127.0.0.1` for plaintext.
  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    let tls = try file.optional(Bool.self, .tls, expecting: "true or false") ?? true
    self.init(
      host: try file.optional(String.self, .host, expecting: "an address or host name")
        ?? (tls ? "::" : "127.0.0.1"),
      port: try file.optional(Int.self, .port, expecting: "a port number") ?? (tls ? 6697 : 6667),
      tls: tls,
      certificatePath: try file.optional(String.self, .certificatePath, expecting: "a file path"),
      keyPath: try file.optional(String.self, .keyPath, expecting: "a file path"))
  }
}

extension OperatorConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, password
    case hostMask = "host-mask"
  }

  /// `name` and `password` are required (checked by validation, which knows the list index).
  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    self.init(
      name: try file.optional(String.self, .name, expecting: "a name") ?? "",
      password: try file.optional(String.self, .password, expecting: "a password") ?? "",
      hostMask: try file.optional(String.self, .hostMask, expecting: "a nick!user@host mask")
        ?? "*")
  }
}

extension LimitsConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case nickLength = "nick-length"
    case channelLength = "channel-length"
    case topicLength = "topic-length"
    case awayLength = "away-length"
    case kickLength = "kick-length"
    case userLength = "user-length"
    case realnameLength = "realname-length"
    case channelsPerClient = "channels-per-client"
    case targetsPerCommand = "targets-per-command"
    case listEntries = "list-entries"
    case monitorEntries = "monitor-entries"
    case whowasEntries = "whowas-entries"
    case readQueueBytes = "read-queue-bytes"
    case sendQueueBytes = "send-queue-bytes"
    case maxClients = "max-clients"
    case roomsPerAccount = "rooms-per-account"
    case registeredRooms = "registered-rooms"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    func int(_ key: CodingKeys, _ value: inout Int) throws {
      value = try file.optional(Int.self, key, expecting: "a whole number") ?? value
    }
    try int(.nickLength, &nickLength)
    try int(.channelLength, &channelLength)
    try int(.topicLength, &topicLength)
    try int(.awayLength, &awayLength)
    try int(.kickLength, &kickLength)
    try int(.userLength, &userLength)
    try int(.realnameLength, &realnameLength)
    try int(.channelsPerClient, &channelsPerClient)
    try int(.targetsPerCommand, &targetsPerCommand)
    try int(.listEntries, &listEntries)
    try int(.monitorEntries, &monitorEntries)
    try int(.whowasEntries, &whowasEntries)
    try int(.readQueueBytes, &readQueueBytes)
    try int(.sendQueueBytes, &sendQueueBytes)
    try int(.maxClients, &maxClients)
    try int(.roomsPerAccount, &roomsPerAccount)
    try int(.registeredRooms, &registeredRooms)
  }
}

extension TimeoutsConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case tlsHandshake = "tls-handshake"
    case registration
    case pingInterval = "ping-interval"
    case pingTimeout = "ping-timeout"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    tlsHandshake = try file.duration(.tlsHandshake) ?? tlsHandshake
    registration = try file.duration(.registration) ?? registration
    pingInterval = try file.duration(.pingInterval) ?? pingInterval
    pingTimeout = try file.duration(.pingTimeout) ?? pingTimeout
  }
}

extension STSConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case enabled, duration, port
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    enabled = try file.optional(Bool.self, .enabled, expecting: "true or false") ?? enabled
    duration = try file.duration(.duration) ?? duration
    port = try file.optional(Int.self, .port, expecting: "a port number")
  }
}
