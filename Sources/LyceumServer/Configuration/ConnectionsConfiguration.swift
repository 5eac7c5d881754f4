import LyceumCore

/// Limits per client IP address (the file's `connections:`): simultaneous connections, new
/// connections per window, and registrations per window. Refused connections get one
/// `ERROR :Closing Link: <ip> (…)` line and are closed.
public struct ConnectionsConfiguration: Sendable, Equatable {
  /// Connections one IP may have open at once (counted from accept, TLS handshake included).
  public var perIPLimit = 10
  /// New connections one IP may open per window.
  public var perIPRate = RateConfiguration(count: 10, window: .seconds(60))
  /// Registrations (`001`) one IP may complete per window.
  public var registrationsPerIP = RateConfiguration(count: 5, window: .seconds(60))
  /// IP addresses none of these limits apply to (a campus NAT, a bridge, a monitoring host).
  /// Loopback by default, as ergo does: someone trying the README's examples, local bots and
  /// scripts on the server's own machine are not strangers. A local proxy that forwards remote
  /// clients (stunnel, a web gateway) makes them all loopback: then set this list to `[]`.
  public var exemptIPs: [String] = ["127.0.0.1", "::1"]
  /// IPv6 addresses count under their first this-many bits (a /64: one host's usual share), so
  /// that one host cannot pass for thousands of addresses. 128 counts each address apart. Read
  /// at start-up only.
  public var ipv6Prefix = AddressGroup.defaultIPv6PrefixLength

  /// The defaults.
  public init() {}

  /// `exemptIPs` in the transport's spelling (canonical IPv6, IPv4 without `::ffff:`).
  var canonicalExemptIPs: Set<String> { Set(exemptIPs.compactMap(IPAddressText.canonical)) }
}

/// At most `count` events per `window`; written `{ count: 10, window: 60s }` in the file.
public struct RateConfiguration: Sendable, Equatable {
  public var count: Int
  public var window: Duration

  public init(count: Int, window: Duration) {
    self.count = count
    self.window = window
  }

  var rateLimit: RateLimit { RateLimit(count: count, window: window) }
}

extension ConnectionsConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case perIPLimit = "per-ip-limit"
    case perIPRate = "per-ip-rate"
    case registrationsPerIP = "registrations-per-ip"
    case exemptIPs = "exempt-ips"
    case ipv6Prefix = "ipv6-prefix"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    let rate = "a mapping with count and window"
    perIPLimit = try file.optional(Int.self, .perIPLimit, expecting: "a whole number") ?? perIPLimit
    perIPRate = try file.optional(RateConfiguration.self, .perIPRate, expecting: rate) ?? perIPRate
    registrationsPerIP =
      try file.optional(RateConfiguration.self, .registrationsPerIP, expecting: rate)
      ?? registrationsPerIP
    exemptIPs =
      try file.optional([String].self, .exemptIPs, expecting: "a list of IP addresses")
      ?? exemptIPs
    ipv6Prefix = try file.optional(Int.self, .ipv6Prefix, expecting: "a whole number") ?? ipv6Prefix
  }

  func validate() throws {
    guard perIPLimit >= 1 else {
      throw ConfigurationError.invalidValue(
        key: "connections.per-ip-limit", value: String(perIPLimit),
        reason: "expected a number of at least 1")
    }
    guard (16...128).contains(ipv6Prefix) else {
      throw ConfigurationError.invalidValue(
        key: "connections.ipv6-prefix", value: String(ipv6Prefix),
        reason: "expected a prefix length from 16 to 128")
    }
    try perIPRate.validate("connections.per-ip-rate")
    try registrationsPerIP.validate("connections.registrations-per-ip")
    for (index, ip) in exemptIPs.enumerated() where IPAddressText.canonical(ip) == nil {
      throw ConfigurationError.invalidValue(
        key: "connections.exempt-ips[\(index)]", value: ip,
        reason: "expected an IPv4 or IPv6 address such as 192.0.2.10 or 2001:db8::1")
    }
  }
}

extension RateConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case count, window
  }

  /// Both keys are required: a rate without either means nothing.
  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    guard let count = try file.optional(Int.self, .count, expecting: "a whole number") else {
      throw ConfigurationError.invalidValue(
        key: configurationKeyPath(decoder.codingPath + [CodingKeys.count]), value: "",
        reason: "required key is missing")
    }
    guard let window = try file.duration(.window) else {
      throw ConfigurationError.invalidValue(
        key: configurationKeyPath(decoder.codingPath + [CodingKeys.window]), value: "",
        reason: "required key is missing")
    }
    self.init(count: count, window: window)
  }

  func validate(_ key: String) throws {
    guard count >= 1 else {
      throw ConfigurationError.invalidValue(
        key: "\(key).count", value: String(count), reason: "expected a number of at least 1")
    }
    guard window > .zero else {
      throw ConfigurationError.invalidValue(
        key: "\(key).window", value: ConfigurationDuration.format(window),
        reason: "must be longer than zero")
    }
  }
}
