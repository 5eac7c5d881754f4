import LyceumCore

/// Logins that accept an API token only: the lines of the bots' loopback listener.
extension AccountService {
  /// Whether `secret` is a live API token of `account`, under the failed-login throttle of the
  /// account (not of the address: every listener connection comes from loopback, and a broken
  /// script must not lock out the other logins from the machine). Never the
  /// password: the listener is for scripts holding a revocable token, and a token check is one
  /// digest lookup, where a password check would cost an scrypt run per line.
  public func tokenLogin(ip: String, account: String, secret: String) -> AccountResponse {
    let folded = caseMapping.fold(account)
    return throttled(keys: [FailureThrottle.accountKey(folded)]) {
      checkToken(secret, foldedName: folded)
    }
  }

  /// The token lookup of `checkSecret`, without the password. The secret is compared as its
  /// SHA-256 digest (the store keeps nothing else), so a timing difference in the lookup says
  /// nothing about the secret itself.
  private func checkToken(_ secret: String, foldedName: String) -> CheckResult {
    let record: AccountRecord?
    do {
      record = try store.account(foldedName: foldedName)
    } catch {
      return .refused
    }
    guard let record, !secret.isEmpty,
      let token = try? store.token(
        accountFoldedName: foldedName, secretDigest: APIToken.digest(secret))
    else { return .failure }
    try? store.markTokenUsed(
      accountFoldedName: foldedName, name: token.name,
      atMilliseconds: clock.wallClockMilliseconds())
    return .success(AccountSummary(record), .token(digest: token.secretDigest))
  }
}
