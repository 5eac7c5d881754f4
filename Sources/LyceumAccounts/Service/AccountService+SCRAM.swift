import LyceumCore

/// SCRAM-SHA-256 against stored accounts (RFC 5802/7677).
///
/// An unknown name gets a normal-looking exchange: a salt derived from the name with a
/// per-process secret key (stable across attempts, so repeating the probe shows nothing new) and
/// the default iteration count. Its proof can never verify, and it fails exactly like a wrong
/// password.
extension AccountService {
  /// Key for decoy salts and keys; random per process so they cannot be predicted from outside.
  private static let decoyKey: [UInt8] = Crypto.randomBytes(32)

  /// client-first → server-first challenge.
  func scramFirst(_ step: SASLStep) -> AccountResponse {
    guard let clientFirst = SCRAMServerExchange.parseClientFirst(step.response) else {
      return .malformed
    }
    let folded = caseMapping.fold(clientFirst.username)
    if let authzid = clientFirst.authorizationIdentity, caseMapping.fold(authzid) != folded {
      return .authenticationFailed
    }
    if let wait = retryAfter(keys: throttleKeys(ip: step.ip, foldedName: folded)) {
      return .throttled(retryAfterSeconds: wait)
    }
    let record: AccountRecord?
    do {
      record = try store.account(foldedName: folded)
    } catch {
      return .authenticationFailed
    }
    let exchange: SCRAMServerExchange
    let account: AccountSummary?
    var stamp = ""
    if let record, let credential = record.password {
      stamp = LoginCredential.passwordStamp(credential)
      exchange = SCRAMServerExchange(
        clientFirst: clientFirst, salt: credential.scramSalt,
        iterations: credential.scramIterations, storedKey: credential.scramStoredKey,
        serverKey: credential.scramServerKey)
      account = AccountSummary(record)
    } else {
      let decoy = { (label: String) in
        Crypto.hmacSHA256(key: Self.decoyKey, data: Array("\(label)\u{0}\(folded)".utf8))
      }
      exchange = SCRAMServerExchange(
        clientFirst: clientFirst, salt: Array(decoy("salt").prefix(PasswordHasher.saltLength)),
        iterations: hasher.scramIterations, storedKey: decoy("stored"),
        serverKey: decoy("server"))
      account = nil
    }
    state.withLock {
      $0.sessions[step.connection] = .scramAwaitingFinal(
        exchange, account: account, stamp: stamp, foldedName: folded)
    }
    return .saslChallenge(Array(exchange.serverFirst.utf8))
  }

  /// client-final → server-final challenge (the login completes on the client's empty reply).
  func scramFinal(
    _ step: SASLStep, exchange: SCRAMServerExchange, account: AccountSummary?, stamp: String,
    foldedName: String
  ) -> AccountResponse {
    // Checked again: exchanges opened in parallel must not outrun the failure count.
    let keys = throttleKeys(ip: step.ip, foldedName: foldedName)
    if let wait = retryAfter(keys: keys) { return .throttled(retryAfterSeconds: wait) }
    switch exchange.verify(clientFinal: step.response) {
    case .malformed:
      return .malformed
    case .invalidProof:
      recordFailure(keys: keys)
      return .authenticationFailed
    case .valid(let serverFinal):
      guard let account else {
        recordFailure(keys: keys)
        return .authenticationFailed
      }
      state.withLock {
        $0.sessions[step.connection] = .scramAwaitingAcknowledgement(
          account, .password(stamp: stamp))
      }
      return .saslChallenge(serverFinal)
    }
  }
}
