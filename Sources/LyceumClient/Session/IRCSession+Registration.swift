import LyceumAccounts
import LyceumProtocol

/// Where a SASL exchange stands.
enum SASLState: Sendable {
  case idle
  /// `AUTHENTICATE <mechanism>` sent; waiting for the server's `+`.
  case started(mechanism: String)
  /// SCRAM: the client-first went out; waiting for the server-first.
  case scramFirstSent(SCRAMClient)
  /// SCRAM: the client-final went out; waiting for the server-final to verify.
  case scramFinalSent(SCRAMClient)
  /// The credentials went out; waiting for `903`/`904`.
  case awaitingResult
  case done
}

extension IRCSession {
  mutating func handleCap(_ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]) {
    guard message.params.count >= 3 else { return }
    let subcommand = message.params[1].uppercased()
    switch subcommand {
    case "LS", "NEW":
      // `CAP * LS * :…` continues on the next line; the last line has no `*`.
      let more = message.params.count >= 4 && message.params[2] == "*"
      for item in (message.params.last ?? "").split(separator: " ") {
        let parts = item.split(separator: "=", maxSplits: 1)
        offeredCapabilities[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
      }
      if more { return }
      let wanted = Self.wantedCapabilities.filter {
        offeredCapabilities[$0] != nil && !enabledCapabilities.contains($0)
      }
      if wanted.isEmpty {
        if subcommand == "LS" { startLogin(now: now, &out) }
      } else {
        out.append(.send("CAP REQ :\(wanted.joined(separator: " "))"))
      }
    case "ACK":
      for item in (message.params.last ?? "").split(separator: " ") {
        if item.hasPrefix("-") {
          enabledCapabilities.remove(String(item.dropFirst()))
        } else {
          enabledCapabilities.insert(String(item))
        }
      }
      if !capabilityNegotiationDone { startLogin(now: now, &out) }
    case "NAK":
      if !capabilityNegotiationDone { startLogin(now: now, &out) }
    case "DEL":
      for item in (message.params.last ?? "").split(separator: " ") {
        enabledCapabilities.remove(String(item))
      }
    default: break
    }
  }

  /// After the capabilities: `REGISTER` a new account, or SASL, or straight to `CAP END`.
  mutating func startLogin(now: Int64, _ out: inout [SessionEvent]) {
    if let registration = configuration.registration, account == nil {
      awaitingRegistration = true
      let email = registration.email ?? "*"
      out.append(.send("REGISTER \(registration.account) \(email) \(registration.password)"))
      return
    }
    let mechanism: String
    switch configuration.login {
    case .none: return finishCapabilities(now: now, &out)
    case .plain: mechanism = "PLAIN"
    case .scram: mechanism = "SCRAM-SHA-256"
    case .external: mechanism = "EXTERNAL"
    }
    guard enabledCapabilities.contains("sasl") else {
      status("The server does not offer SASL; not logged in", now: now, kind: .error)
      out.append(.loginFailed(reason: "the server does not offer SASL"))
      return finishCapabilities(now: now, &out)
    }
    sasl = .started(mechanism: mechanism)
    out.append(.send("AUTHENTICATE \(mechanism)"))
  }

  mutating func finishCapabilities(now: Int64, _ out: inout [SessionEvent]) {
    guard !capabilityNegotiationDone else { return }
    capabilityNegotiationDone = true
    out.append(.send("CAP END"))
  }

  mutating func handleAuthenticate(
    _ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]
  ) {
    let payload = message.params.first ?? "+"
    switch sasl {
    case .started:
      guard payload == "+" else { return }
      switch configuration.login {
      case .plain(let account, let secret):
        sendAuthenticate(Array("\0\(account)\0\(secret)".utf8), &out)
        sasl = .awaitingResult
      case .external:
        out.append(.send("AUTHENTICATE +"))
        sasl = .awaitingResult
      case .scram(let account, let password):
        var client = SCRAMClient(username: account, password: password)
        sendAuthenticate(client.clientFirst(), &out)
        sasl = .scramFirstSent(client)
      case .none:
        out.append(.send("AUTHENTICATE *"))
      }
    case .scramFirstSent(var client):
      guard let bytes = Base64.decode(payload),
        let final = try? client.clientFinal(serverFirst: bytes)
      else { return abortSASL("the server's SCRAM challenge is malformed", now: now, &out) }
      sendAuthenticate(final, &out)
      sasl = .scramFinalSent(client)
    case .scramFinalSent(let client):
      guard let bytes = Base64.decode(payload), client.verify(serverFinal: bytes) else {
        return abortSASL(
          "the server could not prove it knows the password (SCRAM)", now: now, &out)
      }
      out.append(.send("AUTHENTICATE +"))
      sasl = .awaitingResult
    default:
      break
    }
  }

  /// Sends a SASL payload base64-encoded in 400-byte pieces (`+` after an exact multiple).
  func sendAuthenticate(_ bytes: [UInt8], _ out: inout [SessionEvent]) {
    let encoded = Base64.encode(bytes)
    var rest = Substring(encoded)
    while rest.count >= 400 {
      out.append(.send("AUTHENTICATE \(rest.prefix(400))"))
      rest = rest.dropFirst(400)
    }
    out.append(.send("AUTHENTICATE \(rest.isEmpty ? "+" : String(rest))"))
  }

  mutating func abortSASL(_ reason: String, now: Int64, _ out: inout [SessionEvent]) {
    out.append(.send("AUTHENTICATE *"))
    sasl = .done
    status("Login failed: \(reason)", now: now, kind: .error)
    out.append(.loginFailed(reason: reason))
    // The server's 906 for the abort is then ignored: registration goes on from here.
    finishCapabilities(now: now, &out)
  }

  mutating func handleRegisterReply(
    _ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]
  ) {
    // `REGISTER SUCCESS <account> :<message>`
    guard message.params.first?.uppercased() == "SUCCESS", message.params.count >= 2 else {
      return
    }
    awaitingRegistration = false
    account = message.params[1]
    // From now on this account logs in like any other (a reconnect must not register again).
    if let registration = configuration.registration {
      configuration.login = .plain(account: registration.account, secret: registration.password)
      configuration.registration = nil
    }
    status("Account \(message.params[1]) created; you are logged in", now: now)
    out.append(.loggedIn(account: message.params[1]))
    finishCapabilities(now: now, &out)
  }

  mutating func handleStandardReply(
    _ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]
  ) {
    let command = message.params.first ?? "*"
    let code = message.params.count > 1 ? message.params[1] : ""
    let text = message.params.last ?? ""
    let kind: BufferLine.Kind = message.uppercasedCommand == "FAIL" ? .error : .status
    if command.uppercased() == "REGISTER", message.uppercasedCommand == "FAIL" {
      awaitingRegistration = false
      out.append(.loginFailed(reason: "\(text) (\(code))"))
      finishCapabilities(now: now, &out)
    }
    if command.uppercased() == "CHATHISTORY" { finishFailedHistory(message) }
    if command.uppercased() == "SEARCH", code == "MORE_RESULTS" {
      return noteMoreSearchResults(message, now: now)
    }
    let target = message.params.dropFirst(2).dropLast().first { Self.isChannel($0) }
    let key = target.map { BufferKey(target: $0) } ?? buffers.activeKey
    status("\(command) \(code): \(text)", now: now, kind: kind, in: key)
  }
}
