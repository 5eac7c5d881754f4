import LyceumProtocol

extension IRCServerCore {
  /// `OPER <name> <password>` (Modern IRC "OPER message").
  ///
  /// Success gives `381` and `:server MODE <nick> +o`. A wrong name or password gives `464`;
  /// the right credentials from a `nick!user@host` outside the operator's host mask give `491`.
  /// The password is checked first and in constant time, so neither answer reveals which
  /// operator names exist to someone without a password.
  ///
  /// Guessing is throttled like logins: failures are counted per IP address and per name given
  /// (`configuration.operFailureLimit`); the failure that reaches the limit, and any attempt
  /// while it holds (even with the right password), gets `464` and `ERROR`, and the connection
  /// is closed, as ergo and InspIRCd do. Every attempt is reported to the server's log as an
  /// `AuditEvent` (never the password).
  func handleOper(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    let password = message.params[1]
    let session = replies.session
    let limit = configuration.operFailureLimit
    let keys = ["ip " + session.ip, "oper " + name]
    let now = clock.monotonicNow()
    func audit(_ outcome: OperOutcome) {
      outbox.events.append(
        .audit(.oper(name: name, client: client.prefix, ip: session.ip, outcome: outcome)))
    }
    func refuseAndClose(_ text: String) {
      replies.numeric(.errPasswdMismatch, text)
      finishEarly(&replies)
      disconnect(session.id, reason: "Too many failed OPER attempts")
    }
    if let wait = keys.compactMap({ operFailures.retryAfter($0, limit: limit, now: now) }).max() {
      audit(.throttled)
      return refuseAndClose(
        "Too many failed OPER attempts; try again in \(RateLimit.wholeSeconds(wait)) seconds")
    }
    func fail(_ outcome: OperOutcome, _ numeric: Numeric, _ text: String) {
      audit(outcome)
      for key in keys { operFailures.record(key, limit: limit, now: now) }
      if keys.contains(where: { operFailures.retryAfter($0, limit: limit, now: now) != nil }) {
        return refuseAndClose(text)
      }
      replies.numeric(numeric, text)
    }
    guard let credential = configuration.operators.first(where: { $0.name == name }),
      constantTimeEqual(credential.password, password)
    else { return fail(.wrongCredentials, .errPasswdMismatch, "Password incorrect") }
    guard IRCMask(credential.hostMask, caseMapping: caseMapping).matches(client.prefix) else {
      return fail(.hostMismatch, .errNoOperHost, "No O-lines for your host")
    }
    audit(.succeeded)
    let wasOperator = client.isOperator
    client.isOperator = true
    replies.numeric(.youreOper, "You are now an IRC operator")
    if !wasOperator {
      let change = IRCMessage(
        source: configuration.serverName, command: "MODE", params: [client.displayNick, "+o"])
      replies.send(change)
      deliver(change, to: client, except: replies.session)
      publish(.introduce(networkUser(client)))
    }
  }
}

/// Compares two secrets in time that depends only on their lengths, not on where they differ.
func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
  let a = Array(lhs.utf8)
  let b = Array(rhs.utf8)
  var difference: UInt8 = a.count == b.count ? 0 : 1
  for index in 0..<Swift.max(a.count, b.count) {
    let x = index < a.count ? a[index] : 0
    let y = index < b.count ? b[index] : 0
    difference |= x ^ y
  }
  return difference == 0
}
