import LyceumCore

extension LyceumServer {
  /// Reads every account and its live credentials back from the store and hands them to the
  /// core, which replaces its directory and ends the sessions of deleted accounts and of
  /// revoked credentials (see `IRCServerCore.endRevokedSessions(_:asOf:)`). This is when a
  /// change made with `lyceumd account` or `lyceumd token` — another process — reaches the
  /// running server.
  func reloadAccounts(from store: any AccountStore) throws {
    let asOf = clock.wallClockMilliseconds()
    let records = try store.allAccounts()
    var credentials: [String: AccountCredentials] = [:]
    for record in records {
      credentials[record.foldedName] = AccountCredentials(
        record, tokens: try store.tokens(accountFoldedName: record.foldedName))
    }
    hub.reloadAccounts(
      records.map(AccountSummary.init), credentials: credentials, asOf: asOf)
  }
}
