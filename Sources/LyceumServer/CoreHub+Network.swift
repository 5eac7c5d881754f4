import LyceumCore

/// The hub's side of a network of nodes (see `PostgresNetwork`): the other nodes' events go
/// into the core in the order the network log has them.
extension CoreHub {
  /// Applies other nodes' events, in order, and sends what they show this node's clients.
  func applyNetwork(_ envelopes: [NetworkEnvelope]) {
    queue.async { [self] in
      for envelope in envelopes { core.applyNetworkEvent(envelope) }
      flush()
    }
  }

  /// The other nodes took this node's lease (it did not renew it in time: frozen, or cut off
  /// from the database) and dropped its users: end their sessions here too, so that nobody
  /// talks on into a network that no longer sees them. Waits until the core has done so.
  func networkLeaseLost() {
    queue.sync { [self] in
      logger.error("this node lost its lease in the network's database; ending every session")
      core.disconnectAll(reason: "This server lost contact with the network; please reconnect")
      flush()
    }
  }
}
