import LyceumCore
import LyceumTransport

/// The bots' loopback listener (`bots-listener:`): plain TCP, one line per message, answered
/// line by line (see `BotConnection`). Off unless configured; bound with the other listeners
/// at start-up and, like them, fixed until a restart.
extension LyceumServer {
  /// The port the bots' listener is bound to, when there is one (useful with port 0).
  public var boundBotsListenerPort: Int? {
    controlQueue.sync { botsListener?.boundPort }
  }

  /// Binds the bots' listener when the configuration has one, and starts accepting on it.
  /// Its address was checked to be loopback when the configuration was validated.
  func bindBotsListener() throws {
    guard let settings = configuration.botsListener else { return }
    let listener = try Listener(
      host: settings.listen.host, port: settings.listen.port, tls: nil,
      limits: connectionLimits(configuration), logger: logger)
    botsListener = listener
    listener.start { [weak self] connection in self?.acceptBot(connection, settings) }
    logger.info("listening bots \(settings.listen.host):\(listener.boundPort)")
  }

  /// Takes a connection to the bots' listener, or refuses it with one `ERROR` line when
  /// `max-connections` are open.
  private func acceptBot(_ connection: Connection, _ settings: BotsListenerConfiguration) {
    let id = connection.id
    switch connections.add(connection) {
    case .added: break
    case .overCapacity, .closing:
      connection.close(flushingFirst: false)
      return
    }
    let open = botConnectionCount.add(1, ordering: .relaxed).newValue
    let release: @Sendable () -> Void = { [weak self, connections] in
      self?.botConnectionCount.subtract(1, ordering: .relaxed)
      connections.remove(id)
    }
    guard open <= settings.maxConnections else {
      logger.warning("bots listener connection from \(connection.remoteAddress) refused: full")
      connection.setHandler(
        RefusedConnection(
          ip: connection.remoteAddress, reason: "too many connections", onClose: release))
      connection.start()
      return
    }
    connection.setHandler(
      BotConnection(
        clientID: makeClientID(), connection: connection, hub: hub, settings: settings,
        onClose: release))
    connection.start()
  }
}
