/// The IRCv3 capabilities Lyceum offers, as a bit set so that checks on the delivery path are a
/// single AND.
public struct CapabilitySet: OptionSet, Sendable, Hashable, Codable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let capNotify = CapabilitySet(rawValue: 1 << 0)
  public static let multiPrefix = CapabilitySet(rawValue: 1 << 1)
  public static let userhostInNames = CapabilitySet(rawValue: 1 << 2)
  public static let extendedJoin = CapabilitySet(rawValue: 1 << 3)
  public static let awayNotify = CapabilitySet(rawValue: 1 << 4)
  public static let inviteNotify = CapabilitySet(rawValue: 1 << 5)
  public static let setname = CapabilitySet(rawValue: 1 << 6)
  public static let chghost = CapabilitySet(rawValue: 1 << 7)
  public static let noImplicitNames = CapabilitySet(rawValue: 1 << 8)
  public static let messageTags = CapabilitySet(rawValue: 1 << 9)
  public static let serverTime = CapabilitySet(rawValue: 1 << 10)
  public static let echoMessage = CapabilitySet(rawValue: 1 << 11)
  public static let batch = CapabilitySet(rawValue: 1 << 12)
  public static let labeledResponse = CapabilitySet(rawValue: 1 << 13)
  public static let standardReplies = CapabilitySet(rawValue: 1 << 14)
  public static let sts = CapabilitySet(rawValue: 1 << 15)
  public static let sasl = CapabilitySet(rawValue: 1 << 16)
  public static let accountTag = CapabilitySet(rawValue: 1 << 17)
  public static let accountNotify = CapabilitySet(rawValue: 1 << 18)
  public static let accountRegistration = CapabilitySet(rawValue: 1 << 19)
  public static let chathistory = CapabilitySet(rawValue: 1 << 20)
  public static let eventPlayback = CapabilitySet(rawValue: 1 << 21)
  public static let readMarker = CapabilitySet(rawValue: 1 << 22)
  /// `lyceum.chat/threads`, Lyceum's research threads.
  public static let threads = CapabilitySet(rawValue: 1 << 24)
  /// `extended-monitor`: AWAY, ACCOUNT, SETNAME (and CHGHOST) of monitored nicks, too.
  public static let extendedMonitor = CapabilitySet(rawValue: 1 << 26)
  /// `soju.im/search`, message search (`SEARCH`).
  public static let search = CapabilitySet(rawValue: 1 << 27)
  /// `draft/multiline`: messages of several lines, sent and received as one batch.
  public static let multiline = CapabilitySet(rawValue: 1 << 28)
  /// `draft/message-redaction`: `REDACT` of a kept message.
  public static let messageRedaction = CapabilitySet(rawValue: 1 << 29)

  /// The capabilities offered only when `CoreConfiguration.historyEnabled`.
  public static let history: CapabilitySet = [
    .chathistory, .eventPlayback, .readMarker, .threads, .search,
  ]

  /// The capabilities that change which tags a recipient sees; the delivery path serializes a
  /// message once per distinct value of `self ∩ tagAffecting`.
  public static let tagAffecting: CapabilitySet = [
    .messageTags, .serverTime, .batch, .accountTag,
  ]
}

/// One advertised capability: its wire name, its bit, and whether a client may request it.
public struct CapabilityDescriptor: Sendable {
  public let name: String
  public let flag: CapabilitySet
  /// `sts` is advertised for information only; requesting it is refused (NAK) per the spec.
  public let requestable: Bool

  /// Every capability in the order `CAP LS` lists them.
  public static let all: [CapabilityDescriptor] = [
    .init(name: "account-notify", flag: .accountNotify, requestable: true),
    .init(name: "account-tag", flag: .accountTag, requestable: true),
    .init(name: "away-notify", flag: .awayNotify, requestable: true),
    .init(name: "batch", flag: .batch, requestable: true),
    .init(name: "cap-notify", flag: .capNotify, requestable: true),
    .init(name: "chghost", flag: .chghost, requestable: true),
    .init(name: "draft/account-registration", flag: .accountRegistration, requestable: true),
    .init(name: "draft/chathistory", flag: .chathistory, requestable: true),
    .init(name: "draft/event-playback", flag: .eventPlayback, requestable: true),
    .init(name: "draft/message-redaction", flag: .messageRedaction, requestable: true),
    .init(name: "draft/multiline", flag: .multiline, requestable: true),
    .init(name: "draft/no-implicit-names", flag: .noImplicitNames, requestable: true),
    .init(name: "draft/read-marker", flag: .readMarker, requestable: true),
    .init(name: "echo-message", flag: .echoMessage, requestable: true),
    .init(name: "extended-join", flag: .extendedJoin, requestable: true),
    .init(name: "extended-monitor", flag: .extendedMonitor, requestable: true),
    .init(name: "invite-notify", flag: .inviteNotify, requestable: true),
    .init(name: "labeled-response", flag: .labeledResponse, requestable: true),
    .init(name: "lyceum.chat/threads", flag: .threads, requestable: true),
    .init(name: "message-tags", flag: .messageTags, requestable: true),
    .init(name: "multi-prefix", flag: .multiPrefix, requestable: true),
    .init(name: "sasl", flag: .sasl, requestable: true),
    .init(name: "server-time", flag: .serverTime, requestable: true),
    .init(name: "setname", flag: .setname, requestable: true),
    .init(name: "soju.im/search", flag: .search, requestable: true),
    .init(name: "standard-replies", flag: .standardReplies, requestable: true),
    .init(name: "sts", flag: .sts, requestable: false),
    .init(name: "userhost-in-names", flag: .userhostInNames, requestable: true),
  ]

  /// Capability names are case-sensitive (IRCv3 capability negotiation).
  public static func named(_ name: String) -> CapabilityDescriptor? {
    all.first { $0.name == name }
  }
}
