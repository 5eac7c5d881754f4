import LyceumAccounts
import LyceumCore

/// `token create | list | revoke`.
extension AccountAdministration {
  /// The longest token name accepted.
  public static let maximumTokenNameLength = 32

  /// Creates the API token `tokenName` on the account and returns its secret. The secret is
  /// shown to the operator this once: the store keeps only its SHA-256 digest, and its SCRAM
  /// keys under the account password's salt (so a SCRAM login may use it).
  public func createToken(account name: String, tokenName: String) throws -> String {
    guard Self.isValidTokenName(tokenName) else {
      throw AccountAdministrationError.invalidTokenName(tokenName)
    }
    let account = try existingAccount(name)
    let secret = APIToken.generate()
    let token = APITokenRecord(
      accountFoldedName: account.foldedName, name: tokenName,
      secretDigest: APIToken.digest(secret), createdAtMilliseconds: now(),
      scram: hasher.scramKeys(forToken: secret, account: account.password))
    try storing(
      alreadyExists: .tokenExists(account: account.name, name: tokenName),
      notFound: .unknownAccount(name)
    ) { try store.addToken(token) }
    return secret
  }

  /// The account's tokens, oldest first.
  public func listTokens(account name: String) throws -> [APITokenRecord] {
    let account = try existingAccount(name)
    return try storing { try store.tokens(accountFoldedName: account.foldedName) }
  }

  /// Revokes the token `tokenName`; clients using it can no longer log in.
  public func revokeToken(account name: String, tokenName: String) throws {
    let account = try existingAccount(name)
    try storing(notFound: .unknownToken(account: account.name, name: tokenName)) {
      try store.revokeToken(accountFoldedName: account.foldedName, name: tokenName)
    }
  }

  /// 1 to `maximumTokenNameLength` ASCII letters, digits, `.`, `_` or `-`: easy to type in a
  /// shell and to show in a table.
  static func isValidTokenName(_ name: String) -> Bool {
    (1...maximumTokenNameLength).contains(name.utf8.count)
      && name.utf8.allSatisfy { byte in
        let c = Character(Unicode.Scalar(byte))
        return (c.isASCII && (c.isLetter || c.isNumber)) || c == "." || c == "_" || c == "-"
      }
  }
}
