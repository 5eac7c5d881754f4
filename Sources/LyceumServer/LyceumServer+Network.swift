import Logging
import LyceumCore
import LyceumPostgres

/// Joining and leaving the network of nodes that share the PostgreSQL store (`network:`).
extension LyceumServer {
  /// Registers this node in the shared database, says hello (the other nodes answer with what
  /// they serve) and starts the link's thread. Before the listeners accept anyone.
  func joinNetwork() throws {
    guard let network = stores.network else { return }
    try network.register()
    let hub = hub
    let logger = logger
    network.start(
      PostgresNetwork.Handlers(
        deliver: { hub.applyNetwork($0) },
        rejoin: { reason, register in try hub.networkRejoin(reason: reason, register: register) },
        failure: { logger.error("network link: \($0)") }))
    logger.info("network: node \(network.node) joined (lease \(network.lease))")
  }

  /// Stops the link and removes this node from the database, so the other nodes drop whoever
  /// they still know here at once instead of after the lease. Safe to call twice.
  func leaveNetwork() {
    guard let network = stores.network else { return }
    network.stop()
    do {
      try network.leave()
    } catch {
      logger.error("network: could not leave cleanly (the others will after the lease): \(error)")
    }
  }
}
