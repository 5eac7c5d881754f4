import LyceumProtocol

extension IRCServerCore {
  /// `CAP LS|LIST|REQ|END` (IRCv3 capability negotiation, version 302).
  ///
  /// Before registration, `LS` or `REQ` suspends registration until `END`. `REQ` is atomic: all
  /// requested changes are acknowledged together or all refused with `NAK`.
  func handleCap(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let session = replies.session
    let subcommand = message.params[0].uppercased()
    let target = client.displayNick
    switch subcommand {
    case "LS":
      if !session.isRegistered { session.isNegotiatingCapabilities = true }
      let version = message.params.count > 1 ? Int(message.params[1]) ?? 0 : 0
      session.capVersion = max(session.capVersion, version)
      if session.capVersion >= 302 { session.capabilities.insert(.capNotify) }
      sendCapLS(session, target: target, &replies)
    case "LIST":
      let names = CapabilityDescriptor.all.filter { session.capabilities.contains($0.flag) }
        .map(\.name)
      replies.fromServer("CAP", target, "LIST", names.joined(separator: " "))
    case "REQ":
      if !session.isRegistered { session.isNegotiatingCapabilities = true }
      let requested = message.params.count > 1 ? message.params[1] : ""
      if let (add, remove) = parseCapRequest(requested, capVersion: session.capVersion) {
        session.capabilities.formUnion(add)
        session.capabilities.subtract(remove)
        replies.fromServer("CAP", target, "ACK", requested)
      } else {
        replies.fromServer("CAP", target, "NAK", requested)
      }
    case "END":
      guard !session.isRegistered else { return }
      session.isNegotiatingCapabilities = false
      completeRegistrationIfReady(client, &replies)
    default:
      replies.numeric(.errInvalidCapCmd, message.params[0], "Invalid CAP command")
    }
  }

  /// The value shown after `name=` in `CAP LS 302`, if the capability has one.
  private func capValue(_ descriptor: CapabilityDescriptor, for session: Session) -> String? {
    switch descriptor.flag {
    case .sts:
      guard let port = configuration.stsPort else { return nil }
      return session.isTLS ? "duration=\(configuration.stsDurationSeconds)" : "port=\(port)"
    case .sasl:
      return Self.saslMechanisms.joined(separator: ",")
    case .accountRegistration:
      return "before-connect,custom-account-name"
    case .multiline:
      return MultilineLimits.capabilityValue
    default:
      return nil
    }
  }

  private func sendCapLS(_ session: Session, target: String, _ replies: inout Replies) {
    var entries: [String] = []
    for descriptor in CapabilityDescriptor.all {
      if descriptor.flag == .sts && configuration.stsPort == nil { continue }
      if descriptor.flag == .accountRegistration && !configuration.accountRegistrationOpen {
        continue
      }
      if CapabilitySet.history.contains(descriptor.flag) && !configuration.historyEnabled {
        continue
      }
      if session.capVersion >= 302, let value = capValue(descriptor, for: session) {
        entries.append("\(descriptor.name)=\(value)")
      } else {
        entries.append(descriptor.name)
      }
    }
    // One line while the whole list fits in 512 bytes (some client libraries handle a split
    // list badly); otherwise lines that fit, `*` marking a continuation (302).
    let prefix = ":\(configuration.serverName) CAP \(target) LS * :".utf8.count
    let budget = 510 - prefix
    var lines: [[String]] = [[]]
    var length = 0
    for entry in entries {
      if length + entry.utf8.count + 1 > budget + 1 && !lines[lines.count - 1].isEmpty {
        lines.append([])
        length = 0
      }
      lines[lines.count - 1].append(entry)
      length += entry.utf8.count + 1
    }
    for (index, line) in lines.enumerated() {
      let text = line.joined(separator: " ")
      if index < lines.count - 1 && session.capVersion >= 302 {
        replies.fromServer("CAP", target, "LS", "*", text)
      } else {
        replies.fromServer("CAP", target, "LS", text)
      }
    }
  }

  /// Parses `a b -c`; nil if any name is unknown or not requestable.
  private func parseCapRequest(_ text: String, capVersion: Int) -> (CapabilitySet, CapabilitySet)? {
    var add: CapabilitySet = []
    var remove: CapabilitySet = []
    let names = text.split(separator: " ")
    guard !names.isEmpty else { return nil }
    for rawName in names {
      let removing = rawName.hasPrefix("-")
      let name = removing ? String(rawName.dropFirst()) : String(rawName)
      guard let descriptor = CapabilityDescriptor.named(name), descriptor.requestable,
        configuration.historyEnabled || !CapabilitySet.history.contains(descriptor.flag)
      else {
        return nil
      }
      if removing {
        // cap-notify stays on for clients that sent CAP LS 302, which enabled it implicitly.
        if descriptor.flag == .capNotify && capVersion >= 302 { return nil }
        remove.insert(descriptor.flag)
      } else {
        add.insert(descriptor.flag)
      }
    }
    return (add, remove)
  }
}
