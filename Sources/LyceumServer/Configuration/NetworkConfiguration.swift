/// `network:`: this server is one node of several that share one PostgreSQL database (`store:`
/// must be a `postgresql://` URL, and history on) and serve one IRC network together. See
/// `docs/SCALING.md`.
public struct NetworkConfiguration: Sendable, Equatable {
  /// This node's name, for logs and the `network_nodes` table; each node of a network needs
  /// its own (a run adds a random suffix, so a restarted node is a new one).
  public var node: String
  /// How long the node's lease in the database lasts: a node that stops renewing it (killed,
  /// frozen, cut off) is considered gone this long after its last renewal, and its users quit
  /// for everyone else. It is renewed every quarter of it.
  public var lease: Duration = .seconds(10)

  public init(node: String, lease: Duration = .seconds(10)) {
    self.node = node
    self.lease = lease
  }

  func validate(store: StoreConfiguration, historyEnabled: Bool) throws {
    guard !node.isEmpty, node.utf8.count <= 32,
      node.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
    else {
      throw ConfigurationError.invalidValue(
        key: "network.node", value: node, reason: "1-32 letters, digits, '-' or '.'")
    }
    guard lease >= .seconds(1) else {
      throw ConfigurationError.invalidValue(
        key: "network.lease", value: "\(lease)", reason: "must be at least 1s")
    }
    guard case .postgresql = store else {
      throw ConfigurationError.conflict(
        "network: needs store: postgresql://… (the nodes share one PostgreSQL database)")
    }
    guard historyEnabled else {
      throw ConfigurationError.conflict(
        "network: needs history enabled (a node publishes events with the history it keeps)")
    }
  }
}

extension NetworkConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case node, lease
  }

  public init(from decoder: any Decoder) throws {
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    guard let node = try file.optional(String.self, .node, expecting: "a node name") else {
      throw ConfigurationError.invalidValue(
        key: "network.node", value: "", reason: "every node needs a name")
    }
    self.init(node: node)
    lease = try file.duration(.lease) ?? lease
  }
}
