import LyceumCore

/// The part of the server's configuration the protocol core needs.
extension LyceumServer {
  /// The part of the configuration the protocol core needs.
  func coreConfiguration(_ configuration: ServerConfiguration) -> CoreConfiguration {
    var core = CoreConfiguration()
    core.serverName = configuration.serverName
    core.networkName = configuration.networkName
    core.createdAtMilliseconds = startedAt
    core.motd = configuration.motd
    core.rooms = configuration.rooms.map(\.configuredRoom)
    core.adminInfo = configuration.adminInfo
    core.accountRegistrationOpen = configuration.accounts.registrationOpen
    // History is on when its store was opened at start-up; a reload cannot switch it.
    core.historyEnabled = stores.history != nil
    core.limits.historyMaxMessages = configuration.history.maxMessages
    core.limits.replayOnJoin = configuration.history.replayOnJoin
    core.limits.offlineMessages = configuration.history.offlineMessages
    core.password = configuration.password
    core.operators = configuration.operators
    let limits = configuration.limits
    core.limits.nickLength = limits.nickLength
    core.limits.userLength = limits.userLength
    core.limits.realnameLength = limits.realnameLength
    core.limits.channelLength = limits.channelLength
    core.limits.topicLength = limits.topicLength
    core.limits.awayLength = limits.awayLength
    core.limits.kickLength = limits.kickLength
    core.limits.channelsPerClient = limits.channelsPerClient
    core.limits.targetsPerCommand = limits.targetsPerCommand
    core.limits.listEntries = limits.listEntries
    core.limits.monitorEntries = limits.monitorEntries
    core.limits.whowasEntries = limits.whowasEntries
    core.limits.maxClients = limits.maxClients
    core.limits.roomsPerAccount = limits.roomsPerAccount
    core.limits.registeredRooms = limits.registeredRooms
    core.limits.listBytes = max(4096, limits.sendQueueBytes / 2)
    core.timeouts.registration = configuration.timeouts.registration
    core.timeouts.pingInterval = configuration.timeouts.pingInterval
    core.timeouts.pingTimeout = configuration.timeouts.pingTimeout
    core.commandFlood = configuration.flood.coreLimits
    core.registrationThrottle = configuration.connections.registrationsPerIP.rateLimit
    core.throttleExemptIPs = configuration.connections.canonicalExemptIPs
    core.ipv6PrefixLength = configuration.connections.ipv6Prefix
    let tlsPort = listeners.first(where: \.isTLS)?.boundPort
    let hasPlain = listeners.contains { !$0.isTLS }
    if configuration.sts.enabled, hasPlain, let port = configuration.sts.port ?? tlsPort {
      core.stsPort = port
      core.stsDurationSeconds = Int(configuration.sts.duration.components.seconds)
    }
    return core
  }
}
