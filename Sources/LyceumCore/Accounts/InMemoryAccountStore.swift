/// An `AccountStore` kept in memory, for tests and for servers run without a data directory.
///
/// `@unchecked Sendable`: every access goes through `lock`.
public final class InMemoryAccountStore: AccountStore, @unchecked Sendable {
  private let lock = SimpleLock()
  private var accounts: [String: AccountRecord] = [:]
  private var tokenList: [APITokenRecord] = []

  public init() {}

  public func allAccounts() throws -> [AccountRecord] {
    lock.locked { accounts.values.sorted { $0.foldedName < $1.foldedName } }
  }

  public func account(foldedName: String) throws -> AccountRecord? {
    lock.locked { accounts[foldedName] }
  }

  public func create(_ account: AccountRecord) throws {
    try lock.locked {
      guard accounts[account.foldedName] == nil else { throw AccountStoreError.alreadyExists }
      accounts[account.foldedName] = account
    }
  }

  public func update(_ account: AccountRecord) throws {
    try lock.locked {
      guard accounts[account.foldedName] != nil else { throw AccountStoreError.notFound }
      accounts[account.foldedName] = account
    }
  }

  public func delete(foldedName: String) throws {
    try lock.locked {
      guard accounts.removeValue(forKey: foldedName) != nil else {
        throw AccountStoreError.notFound
      }
      tokenList.removeAll { $0.accountFoldedName == foldedName }
    }
  }

  public func account(certificateFingerprint fingerprint: String) throws -> AccountRecord? {
    let wanted = fingerprint.lowercased()
    return lock.locked { accounts.values.first { $0.certificateFingerprints.contains(wanted) } }
  }

  public func addToken(_ token: APITokenRecord) throws {
    try lock.locked {
      guard accounts[token.accountFoldedName] != nil else { throw AccountStoreError.notFound }
      guard
        !tokenList.contains(where: {
          $0.accountFoldedName == token.accountFoldedName && $0.name == token.name
        })
      else { throw AccountStoreError.alreadyExists }
      tokenList.append(token)
    }
  }

  public func tokens(accountFoldedName: String) throws -> [APITokenRecord] {
    lock.locked { tokenList.filter { $0.accountFoldedName == accountFoldedName } }
  }

  public func revokeToken(accountFoldedName: String, name: String) throws {
    try lock.locked {
      guard
        let index = tokenList.firstIndex(where: {
          $0.accountFoldedName == accountFoldedName && $0.name == name
        })
      else { throw AccountStoreError.notFound }
      tokenList.remove(at: index)
    }
  }

  public func token(accountFoldedName: String, secretDigest: String) throws -> APITokenRecord? {
    lock.locked {
      tokenList.first {
        $0.accountFoldedName == accountFoldedName && $0.secretDigest == secretDigest
      }
    }
  }

  public func markTokenUsed(accountFoldedName: String, name: String, atMilliseconds: Int64) throws {
    lock.locked {
      if let index = tokenList.firstIndex(where: {
        $0.accountFoldedName == accountFoldedName && $0.name == name
      }) {
        tokenList[index].lastUsedMilliseconds = atMilliseconds
      }
    }
  }
}
