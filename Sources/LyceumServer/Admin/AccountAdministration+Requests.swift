import LyceumCore

/// Administration requests that arrive over IRC (`ACCOUNTS`, `TOKEN`), answered with the same
/// logic as the `lyceumd account` and `lyceumd token` subcommands. Runs on the account queue.
extension AccountAdministration {
  public func handle(_ request: AdminRequest) -> AccountResponse {
    do {
      return .adminSucceeded(try outcome(of: request))
    } catch let error as AccountAdministrationError {
      return .adminFailed(code: Self.code(for: error), description: error.description)
    } catch {
      return .adminFailed(code: "TEMPORARILY_UNAVAILABLE", description: "\(error)")
    }
  }

  private func outcome(of request: AdminRequest) throws -> AdminOutcome {
    switch request {
    case .createAccount(let name, let role, let password, let institution):
      let record = try createAccount(
        name: name,
        settings: AccountSettings(password: password, institution: institution, role: role))
      return AdminOutcome(
        notes: [["CREATED", record.name, "Account created with role \(record.role.rawValue)"]],
        updated: AccountSummary(record))
    case .setAccount(let name, let field, let value):
      var settings = AccountSettings()
      switch field {
      case "role": settings.role = value
      case "institution": settings.institution = value
      case "display-name": settings.displayName = value
      case "email": settings.email = value
      case "password": settings.password = value
      default: throw AccountAdministrationError.invalidField(field)
      }
      let record = try updateAccount(name: name, settings: settings)
      return AdminOutcome(
        notes: [["UPDATED", record.name, field, "Account updated"]],
        updated: AccountSummary(record),
        credentials: field == "password" ? try credentials(of: record) : nil)
    case .deleteAccount(let name):
      let folded = caseMapping.fold(name)
      try deleteAccount(name: name)
      return AdminOutcome(notes: [["DELETED", name, "Account deleted"]], deleted: folded)
    case .createToken(let account, let name):
      let secret = try createToken(account: account, tokenName: name)
      return AdminOutcome(notes: [["CREATED", account, name, secret]])
    case .listTokens(let account):
      let tokens = try listTokens(account: account)
      var notes = tokens.map { token in
        let used = token.lastUsedMilliseconds.map(Self.timestamp) ?? "never"
        return [
          "ENTRY", account, token.name,
          "created \(Self.timestamp(token.createdAtMilliseconds)), last used \(used)",
        ]
      }
      notes.append(["END", account, "\(tokens.count) token(s)"])
      return AdminOutcome(notes: notes)
    case .revokeToken(let account, let name):
      try revokeToken(account: account, tokenName: name)
      let record = try existingAccount(account)
      return AdminOutcome(
        notes: [["REVOKED", account, name, "Token revoked"]], updated: AccountSummary(record),
        credentials: try credentials(of: record))
    }
  }

  /// What the account accepts now, read back from the store: the sessions that logged in with
  /// anything else are ended.
  private func credentials(of record: AccountRecord) throws -> AccountCredentials {
    AccountCredentials(
      record, tokens: try storing { try store.tokens(accountFoldedName: record.foldedName) })
  }

  /// The `FAIL` code for an administration error.
  static func code(for error: AccountAdministrationError) -> String {
    switch error {
    case .accountExists: "ACCOUNT_EXISTS"
    case .unknownAccount: "NO_SUCH_ACCOUNT"
    case .tokenExists: "TOKEN_EXISTS"
    case .unknownToken: "NO_SUCH_TOKEN"
    case .storage: "TEMPORARILY_UNAVAILABLE"
    default: "INVALID_PARAMS"
    }
  }
}
