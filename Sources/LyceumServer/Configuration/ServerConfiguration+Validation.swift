import Logging
import LyceumProtocol

/// Checks of values that decode fine but make no sense, run after the file is read and again
/// after the command-line overrides are applied. Errors name the key as the file spells it.
extension ServerConfiguration {
  /// Throws the first problem found, as a `ConfigurationError`.
  public func validate() throws {
    guard Self.isValidServerName(serverName) else {
      throw invalid(
        "server-name", serverName, "expected a host-like name with a '.', e.g. irc.example.edu")
    }
    guard !networkName.isEmpty, !networkName.contains(where: \.isWhitespace) else {
      throw invalid("network-name", networkName, "must be non-empty and contain no spaces")
    }
    guard !dataDirectory.isEmpty else { throw invalid("data-directory", "", "must not be empty") }
    try validateTLS()
    try botsListener?.validate()
    try network?.validate(store: store, historyEnabled: history.enabled)
    guard history.replayOnJoin >= 0 else {
      throw invalid("history.replay-on-join", String(history.replayOnJoin), "must be 0 or more")
    }
    guard history.offlineMessages >= 0 else {
      throw invalid(
        "history.offline-messages", String(history.offlineMessages), "must be 0 or more")
    }
    guard (1...1000).contains(history.maxMessages) else {
      throw invalid("history.max-messages", String(history.maxMessages), "must be 1 to 1000")
    }
    guard accounts.failedLoginLimit >= 1 else {
      throw invalid(
        "accounts.failed-login-limit", String(accounts.failedLoginLimit), "must be at least 1")
    }
    guard accounts.failedLoginWindow > .zero else {
      throw invalid("accounts.failed-login-window", "0", "must be longer than zero")
    }
    if let password, password.isEmpty || password.contains(where: Self.isLineBreakOrNul) {
      throw invalid("password", password, "must be non-empty and on one line")
    }
    for (index, op) in operators.enumerated() {
      let key = "operators[\(index)]"
      guard !op.name.isEmpty, !op.name.contains(where: \.isWhitespace) else {
        throw invalid("\(key).name", op.name, "required, without spaces")
      }
      guard !op.password.isEmpty, !op.password.contains(where: Self.isLineBreakOrNul) else {
        throw invalid("\(key).password", op.password.isEmpty ? "" : "***", "required, on one line")
      }
      guard !op.hostMask.isEmpty, !op.hostMask.contains(where: \.isWhitespace) else {
        throw invalid("\(key).host-mask", op.hostMask, "expected a nick!user@host glob such as *")
      }
      if operators[..<index].contains(where: { $0.name == op.name }) {
        throw invalid("\(key).name", op.name, "another operator has this name")
      }
    }
    try limits.validate()
    for (index, room) in rooms.enumerated() {
      try room.validate(at: "rooms[\(index)]", limits: limits)
      let folded = CaseMapping.rfc1459.fold(room.name)
      if rooms[..<index].contains(where: { CaseMapping.rfc1459.fold($0.name) == folded }) {
        throw invalid("rooms[\(index)].name", room.name, "another room has this name")
      }
    }
    try timeouts.validate()
    try flood.validate()
    try connections.validate()
    if let port = sts.port, !(1...65535).contains(port) {
      throw invalid("sts.port", String(port), "expected a port from 1 to 65535")
    }
    guard Logger.Level(rawValue: logLevel) != nil else {
      throw invalid(
        "log-level", logLevel, "expected trace, debug, info, notice, warning, error or critical")
    }
  }

  private func validateTLS() throws {
    guard !listeners.isEmpty else { throw invalid("listeners", "[]", "at least one is needed") }
    if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
      throw ConfigurationError.conflict(
        "set both tls-certificate-path and tls-key-path, or neither")
    }
    for (index, listener) in listeners.enumerated() {
      let key = "listeners[\(index)]"
      guard !listener.host.isEmpty, !listener.host.contains(where: \.isWhitespace) else {
        throw invalid("\(key).host", listener.host, "expected an address or host name")
      }
      guard (0...65535).contains(listener.port) else {
        throw invalid("\(key).port", String(listener.port), "expected a port from 0 to 65535")
      }
      if (listener.certificatePath == nil) != (listener.keyPath == nil) {
        throw ConfigurationError.conflict(
          "\(key): set both certificate-path and key-path, or neither")
      }
      if !listener.tls, listener.certificatePath != nil {
        throw ConfigurationError.conflict("\(key): certificate-path is set but tls is false")
      }
      if listener.port != 0,
        listeners[..<index].contains(where: { $0.host == listener.host && $0.port == listener.port }
        )
      {
        throw invalid(key, listener.address, "another listener uses the same address")
      }
    }
  }

  /// Whether `name` looks like a host name with at least two labels: letters, digits, '-'
  /// (not at either end of a label), at most 63 bytes, as IRC server names must be.
  public static func isValidServerName(_ name: String) -> Bool {
    guard name.utf8.count <= 63, name.contains(".") else { return false }
    return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
      !label.isEmpty && label.first != "-" && label.last != "-"
        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
  }

  private static func isLineBreakOrNul(_ character: Character) -> Bool {
    character == "\r" || character == "\n" || character == "\r\n" || character == "\0"
  }
}

extension LimitsConfiguration {
  func validate() throws {
    let lengths: [(String, Int)] = [
      ("nick-length", nickLength), ("channel-length", channelLength),
      ("topic-length", topicLength), ("away-length", awayLength), ("kick-length", kickLength),
      ("user-length", userLength), ("realname-length", realnameLength),
    ]
    for (key, value) in lengths where !(1...510).contains(value) {
      throw invalid("limits.\(key)", String(value), "expected 1 to 510 (bytes on one line)")
    }
    let counts: [(String, Int)] = [
      ("channels-per-client", channelsPerClient), ("targets-per-command", targetsPerCommand),
      ("list-entries", listEntries), ("monitor-entries", monitorEntries),
      ("whowas-entries", whowasEntries), ("max-clients", maxClients),
      ("rooms-per-account", roomsPerAccount), ("registered-rooms", registeredRooms),
    ]
    for (key, value) in counts where value < 1 {
      throw invalid("limits.\(key)", String(value), "expected a number of at least 1")
    }
    for (key, value) in [
      ("read-queue-bytes", readQueueBytes), ("send-queue-bytes", sendQueueBytes),
    ]
    where value < Self.minimumQueueBytes {
      throw invalid(
        "limits.\(key)", String(value),
        "expected at least \(Self.minimumQueueBytes), the longest valid line (8191 + 512)")
    }
  }
}

extension TimeoutsConfiguration {
  func validate() throws {
    let all: [(String, Duration)] = [
      ("tls-handshake", tlsHandshake), ("registration", registration),
      ("ping-interval", pingInterval), ("ping-timeout", pingTimeout),
    ]
    for (key, value) in all where value <= .zero {
      throw invalid("timeouts.\(key)", ConfigurationDuration.format(value), "must be more than 0")
    }
  }
}

/// An `invalidValue` error; keeps the checks above on one line each.
private func invalid(_ key: String, _ value: String, _ reason: String) -> ConfigurationError {
  .invalidValue(key: key, value: value, reason: reason)
}
