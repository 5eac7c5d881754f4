import LyceumCore

/// The hub's side of a network of nodes (see `PostgresNetwork`): the other nodes' events go
/// into the core in the order the network log has them.
extension CoreHub {
  /// Applies other nodes' events, in order, and sends what they show this node's clients.
  /// Waits until they are applied: the link reads no further meanwhile, so a busy hub holds
  /// the log back in the database instead of in memory.
  func applyNetwork(_ envelopes: [NetworkEnvelope]) {
    queue.sync { [self] in
      for envelope in envelopes { core.applyNetworkEvent(envelope) }
      flush()
    }
  }

  /// This node's view of the network may differ from the others' (its lease was taken away,
  /// or a commit of its events failed): it ends its own sessions, forgets the other nodes'
  /// clients, and `register` (run meanwhile, with the hub held) makes it a new node, whose
  /// id the core takes. So nobody talks on into a network that does not see them, and the
  /// others' bursts rebuild the view. When `register` fails the link tries again later.
  func networkRejoin(reason: String, register: () throws -> String) throws {
    try queue.sync { [self] in
      logger.error("network: \(reason); ending every session and joining again as a new node")
      core.disconnectAll(reason: "This server lost contact with the network; please reconnect")
      core.forgetNetwork()
      flush()
      let node = try register()
      core.joinNetwork(node: node)
      logger.info("network: joined again as node \(node)")
    }
  }
}
