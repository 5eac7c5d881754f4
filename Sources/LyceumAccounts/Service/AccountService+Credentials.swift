import LyceumCore

/// Checking a secret against an account, and the throttling around every check.
extension AccountService {
  /// What one credential check found.
  enum CheckResult {
    case success(AccountSummary, LoginCredential)
    /// Wrong secret or no such account — the client is never told which. Counted as a failure.
    case failure
    /// Not a guess (the store failed, or the request asked for another identity): refused but not
    /// counted.
    case refused
  }

  /// Runs `check` unless the IP or the account is throttled, counts a failure against both, and
  /// turns the result into the client's answer.
  func throttled(ip: String, foldedName: String?, _ check: () -> CheckResult) -> AccountResponse {
    throttled(keys: throttleKeys(ip: ip, foldedName: foldedName), check)
  }

  /// `check` under the failed-login throttle of `keys` only.
  func throttled(keys: [String], _ check: () -> CheckResult) -> AccountResponse {
    if let wait = retryAfter(keys: keys) { return .throttled(retryAfterSeconds: wait) }
    switch check() {
    case .success(let summary, let credential):
      return .loggedIn(summary, via: credential)
    case .failure:
      recordFailure(keys: keys)
      return .authenticationFailed
    case .refused:
      return .authenticationFailed
    }
  }

  func throttleKeys(ip: String, foldedName: String?) -> [String] {
    [FailureThrottle.ipKey(ip)] + (foldedName.map { [FailureThrottle.accountKey($0)] } ?? [])
  }

  func retryAfter(keys: [String]) -> Int? {
    let now = clock.monotonicNow()
    return state.withLock { $0.throttle.retryAfterSeconds(keys: keys, now: now) }
  }

  func recordFailure(keys: [String]) {
    let now = clock.monotonicNow()
    state.withLock { $0.throttle.recordFailure(keys: keys, now: now) }
  }

  /// Whether `secret` is the password or a live API token of the account `foldedName`.
  ///
  /// Tokens are looked up first (a digest lookup, cheap for bots that reconnect often); then the
  /// scrypt hash. An unknown account or one without a password still pays one scrypt run against
  /// a decoy, so timing does not tell which names exist.
  func checkSecret(_ secret: String, foldedName: String) -> CheckResult {
    let record: AccountRecord?
    do {
      record = try store.account(foldedName: foldedName)
    } catch {
      return .refused
    }
    guard let record, !secret.isEmpty else {
      burnDecoy(secret)
      return .failure
    }
    if let token = try? store.token(
      accountFoldedName: foldedName, secretDigest: APIToken.digest(secret))
    {
      try? store.markTokenUsed(
        accountFoldedName: foldedName, name: token.name,
        atMilliseconds: clock.wallClockMilliseconds())
      return .success(AccountSummary(record), .token(digest: token.secretDigest))
    }
    guard let credential = record.password else {
      burnDecoy(secret)
      return .failure
    }
    return hasher.verify(password: secret, against: credential)
      ? .success(
        AccountSummary(record), .password(stamp: LoginCredential.passwordStamp(credential)))
      : .failure
  }

  /// Spends the time of one password check on a credential nobody can match.
  private func burnDecoy(_ secret: String) {
    if let decoyCredential { _ = hasher.verify(password: secret, against: decoyCredential) }
  }
}
