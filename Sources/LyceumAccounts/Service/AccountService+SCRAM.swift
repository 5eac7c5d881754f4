import LyceumCore

/// SCRAM-SHA-256 against stored accounts (RFC 5802/7677).
///
/// The secret may be the password or one of the account's API tokens: a token's SCRAM keys
/// are derived with the password's salt and iteration count, so the one salt the exchange
/// offers fits both, and the proof is checked against each in turn.
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
    var credentials: [LoginCredential] = []
    if let record, let secrets = scramSecrets(of: record) {
      credentials = secrets.credentials
      exchange = SCRAMServerExchange(
        clientFirst: clientFirst, salt: secrets.salt, iterations: secrets.iterations,
        keys: secrets.keys)
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
        exchange, account: account, credentials: credentials, foldedName: folded)
    }
    return .saslChallenge(Array(exchange.serverFirst.utf8))
  }

  /// client-final → server-final challenge (the login completes on the client's empty reply).
  func scramFinal(
    _ step: SASLStep, exchange: SCRAMServerExchange, account: AccountSummary?,
    credentials: [LoginCredential], foldedName: String
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
    case .valid(let serverFinal, let keyIndex):
      guard let account, credentials.indices.contains(keyIndex) else {
        recordFailure(keys: keys)
        return .authenticationFailed
      }
      let credential = credentials[keyIndex]
      if case .token(let digest) = credential,
        let token = try? store.token(accountFoldedName: foldedName, secretDigest: digest)
      {
        try? store.markTokenUsed(
          accountFoldedName: foldedName, name: token.name,
          atMilliseconds: clock.wallClockMilliseconds())
      }
      state.withLock {
        $0.sessions[step.connection] = .scramAwaitingAcknowledgement(account, credential)
      }
      return .saslChallenge(serverFinal)
    }
  }

  /// The salt and iteration count a SCRAM exchange for `record` offers, and the secrets that
  /// may prove it: the password, then every API token whose SCRAM keys were derived with the
  /// same salt and count (an account without a password offers its first token's). Nil when
  /// the account has no SCRAM secret at all.
  private func scramSecrets(of record: AccountRecord) -> (
    salt: [UInt8], iterations: Int, keys: [SCRAMServerExchange.KeyPair],
    credentials: [LoginCredential]
  )? {
    let tokens = ((try? store.tokens(accountFoldedName: record.foldedName)) ?? [])
      .compactMap { token in token.scram.map { (token.secretDigest, $0) } }
    var keys: [SCRAMServerExchange.KeyPair] = []
    var credentials: [LoginCredential] = []
    let salt: [UInt8]
    let iterations: Int
    if let password = record.password {
      (salt, iterations) = (password.scramSalt, password.scramIterations)
      keys.append(.init(storedKey: password.scramStoredKey, serverKey: password.scramServerKey))
      credentials.append(.password(stamp: LoginCredential.passwordStamp(password)))
    } else if let first = tokens.first?.1 {
      (salt, iterations) = (first.salt, first.iterations)
    } else {
      return nil
    }
    for (digest, scram) in tokens where scram.salt == salt && scram.iterations == iterations {
      keys.append(.init(storedKey: scram.storedKey, serverKey: scram.serverKey))
      credentials.append(.token(digest: digest))
    }
    return (salt, iterations, keys, credentials)
  }
}
