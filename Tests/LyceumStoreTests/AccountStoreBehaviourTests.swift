import LyceumCore
import Testing

/// The `AccountStore` contract, run against every implementation: the SQLite store must behave
/// exactly like the in-memory reference.
@Suite struct AccountStoreBehaviourTests {
  /// The error `body` throws, as an `AccountStoreError`.
  func storeError(_ body: () throws -> Void) -> AccountStoreError? {
    do {
      try body()
      return nil
    } catch {
      return error as? AccountStoreError
    }
  }

  @Test(arguments: StoreKind.allCases) func emptyStoreHasNothing(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      #expect(try store.allAccounts().isEmpty)
      #expect(try store.account(foldedName: "ada") == nil)
      #expect(try store.account(certificateFingerprint: "ab") == nil)
      #expect(try store.tokens(accountFoldedName: "ada").isEmpty)
      #expect(try store.token(accountFoldedName: "ada", secretDigest: "x") == nil)
    }
  }

  @Test(arguments: StoreKind.allCases) func createThenReadBackEveryField(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      let ada = Sample.account("Ada", certificates: ["aa11", "bb22"], password: Sample.credential)
      try store.create(ada)
      #expect(try store.account(foldedName: "ada") == ada)
      let bare = AccountRecord(name: "Bob", foldedName: "bob", createdAtMilliseconds: 5)
      try store.create(bare)
      #expect(try store.account(foldedName: "bob") == bare)
    }
  }

  @Test(arguments: StoreKind.allCases) func allAccountsAreSortedByFoldedName(kind: StoreKind)
    throws
  {
    try kind.withStore { (store: any AccountStore) throws in
      for name in ["Zed", "Ada", "Mia"] { try store.create(Sample.account(name)) }
      #expect(try store.allAccounts().map(\.foldedName) == ["ada", "mia", "zed"])
    }
  }

  @Test(arguments: StoreKind.allCases) func createTwiceIsAlreadyExists(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      try store.create(Sample.account("Ada"))
      var other = Sample.account("ADA")
      other.name = "ADA"
      #expect(storeError { try store.create(other) } == .alreadyExists)
      #expect(try store.account(foldedName: "ada")?.name == "Ada")
    }
  }

  @Test(arguments: StoreKind.allCases) func updateReplacesTheRecord(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      try store.create(Sample.account("Ada", certificates: ["aa11"]))
      try store.addToken(Sample.token("ada", "ci"))
      var changed = Sample.account("Ada", certificates: ["cc33"], password: Sample.credential)
      changed.role = .admin
      changed.institution = nil
      changed.email = nil
      changed.displayName = "Ada L."
      try store.update(changed)
      #expect(try store.account(foldedName: "ada") == changed)
      #expect(try store.account(certificateFingerprint: "aa11") == nil)
      #expect(try store.account(certificateFingerprint: "cc33") == changed)
      #expect(try store.tokens(accountFoldedName: "ada").map(\.name) == ["ci"])
      changed.password = nil
      try store.update(changed)
      #expect(try store.account(foldedName: "ada")?.password == nil)
    }
  }

  @Test(arguments: StoreKind.allCases) func updateUnknownIsNotFound(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      #expect(storeError { try store.update(Sample.account("Ada")) } == .notFound)
      #expect(try store.allAccounts().isEmpty)
    }
  }

  @Test(arguments: StoreKind.allCases) func deleteRemovesAccountAndTokens(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      try store.create(Sample.account("Ada", certificates: ["aa11"]))
      try store.create(Sample.account("Bob"))
      try store.addToken(Sample.token("ada", "ci"))
      try store.addToken(Sample.token("bob", "ci"))
      try store.delete(foldedName: "ada")
      #expect(try store.account(foldedName: "ada") == nil)
      #expect(try store.account(certificateFingerprint: "aa11") == nil)
      #expect(try store.tokens(accountFoldedName: "ada").isEmpty)
      #expect(try store.tokens(accountFoldedName: "bob").count == 1)
      #expect(storeError { try store.delete(foldedName: "ada") } == .notFound)
      // The name is free again, with no token left over.
      try store.create(Sample.account("Ada"))
      #expect(try store.tokens(accountFoldedName: "ada").isEmpty)
    }
  }

  @Test(arguments: StoreKind.allCases) func certificateLookupIgnoresCase(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      let ada = Sample.account("Ada", certificates: ["aa11ff"])
      try store.create(ada)
      #expect(try store.account(certificateFingerprint: "AA11FF") == ada)
      #expect(try store.account(certificateFingerprint: "aa11ff") == ada)
      #expect(try store.account(certificateFingerprint: "aa11") == nil)
    }
  }

  @Test(arguments: StoreKind.allCases) func tokensAddListFindRevoke(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      try store.create(Sample.account("Ada"))
      let ci = Sample.token("ada", "ci", digest: "d1")
      let bot = Sample.token("ada", "bot", digest: "d2")
      try store.addToken(ci)
      try store.addToken(bot)
      #expect(try store.tokens(accountFoldedName: "ada") == [ci, bot])
      #expect(try store.token(accountFoldedName: "ada", secretDigest: "d2") == bot)
      #expect(try store.token(accountFoldedName: "ada", secretDigest: "d3") == nil)
      #expect(try store.token(accountFoldedName: "bob", secretDigest: "d1") == nil)
      try store.revokeToken(accountFoldedName: "ada", name: "ci")
      #expect(try store.tokens(accountFoldedName: "ada") == [bot])
      #expect(try store.token(accountFoldedName: "ada", secretDigest: "d1") == nil)
    }
  }

  @Test(arguments: StoreKind.allCases) func tokenErrors(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      #expect(storeError { try store.addToken(Sample.token("ada", "ci")) } == .notFound)
      try store.create(Sample.account("Ada"))
      try store.addToken(Sample.token("ada", "ci"))
      #expect(
        storeError { try store.addToken(Sample.token("ada", "ci", digest: "zz")) } == .alreadyExists
      )
      #expect(
        storeError { try store.revokeToken(accountFoldedName: "ada", name: "cd") } == .notFound)
      #expect(
        storeError { try store.revokeToken(accountFoldedName: "bob", name: "ci") } == .notFound)
      // The same token name on another account is fine.
      try store.create(Sample.account("Bob"))
      try store.addToken(Sample.token("bob", "ci"))
    }
  }

  @Test(arguments: StoreKind.allCases) func markTokenUsed(kind: StoreKind) throws {
    try kind.withStore { (store: any AccountStore) throws in
      try store.create(Sample.account("Ada"))
      try store.addToken(Sample.token("ada", "ci"))
      try store.markTokenUsed(accountFoldedName: "ada", name: "ci", atMilliseconds: 42)
      #expect(try store.tokens(accountFoldedName: "ada").first?.lastUsedMilliseconds == 42)
      // Unknown tokens and accounts are ignored, not errors.
      try store.markTokenUsed(accountFoldedName: "ada", name: "nope", atMilliseconds: 43)
      try store.markTokenUsed(accountFoldedName: "bob", name: "ci", atMilliseconds: 43)
      #expect(try store.tokens(accountFoldedName: "ada").first?.lastUsedMilliseconds == 42)
    }
  }
}
