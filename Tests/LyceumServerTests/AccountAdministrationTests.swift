import Foundation
import LyceumCore
import LyceumServer
import Testing

/// The logic behind `lyceumd account …` and `lyceumd token …`, over a real SQLite file in a
/// temporary data directory.
@Suite struct AccountAdministrationTests {
  /// Runs `body` with administration of a fresh database, at a fixed clock.
  func withAdministration(_ body: (AccountAdministration) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-admin-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let opened = try AccountAdministration.open(dataDirectory: directory, creating: true)
    try body(AccountAdministration(store: opened.store, now: { 1_714_564_800_000 }))
  }

  @Test func aDirectoryWithoutADatabaseIsRefusedUnlessCreating() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-admin-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(
      adminError { _ = try AccountAdministration.open(dataDirectory: directory) }
        == .noDatabase(directory + "/lyceum.sqlite"))
    #expect(!FileManager.default.fileExists(atPath: directory + "/lyceum.sqlite"))
    _ = try AccountAdministration.open(dataDirectory: directory, creating: true)
    _ = try AccountAdministration.open(dataDirectory: directory)
  }

  /// The error `body` throws, as an `AccountAdministrationError`.
  func adminError(_ body: () throws -> Void) -> AccountAdministrationError? {
    do {
      try body()
      return nil
    } catch {
      return error as? AccountAdministrationError
    }
  }

  @Test func createStoresEveryFieldAndAHashedPassword() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      let settings = AccountSettings(
        password: "hunter2-but-longer", institution: "Uppsala", role: "Faculty",
        displayName: "Ada L.", email: "ada@example.edu")
      let created = try admin.createAccount(name: "Ada[m]", settings: settings)
      let stored = try admin.store.account(foldedName: "ada{m}")
      #expect(stored == created)
      #expect(stored?.name == "Ada[m]")
      #expect(stored?.role == .faculty)
      #expect(stored?.institution == "Uppsala")
      #expect(stored?.displayName == "Ada L.")
      #expect(stored?.email == "ada@example.edu")
      #expect(stored?.createdAtMilliseconds == 1_714_564_800_000)
      let password = try #require(stored?.password)
      #expect(!password.scryptHash.contains("hunter2"))
    }
  }

  @Test func createRejectsBadInputAndDuplicates() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      #expect(
        adminError { try admin.createAccount(name: "9lives") } == .invalidAccountName("9lives"))
      #expect(adminError { try admin.createAccount(name: "a b") } == .invalidAccountName("a b"))
      let long = String(repeating: "a", count: 31)
      #expect(adminError { try admin.createAccount(name: long) } == .invalidAccountName(long))
      #expect(
        adminError { try admin.createAccount(name: "ada", settings: .init(role: "wizard")) }
          == .invalidRole("wizard"))
      #expect(
        adminError { try admin.createAccount(name: "ada", settings: .init(password: "")) }
          == .emptyPassword)
      #expect(try admin.listAccounts().isEmpty)
      try admin.createAccount(name: "Ada")
      #expect(adminError { try admin.createAccount(name: "ADA") } == .accountExists("Ada"))
    }
  }

  @Test func listShowsNamesRolesInstitutionsAndNoSecrets() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      try admin.createAccount(
        name: "zed", settings: .init(password: "zed-secret-pw", role: "bot", email: "z@x.edu"))
      try admin.createAccount(name: "Ada", settings: .init(institution: "Uppsala"))
      let accounts = try admin.listAccounts()
      #expect(accounts.map(\.name) == ["Ada", "zed"])
      let lines = AccountAdministration.accountTable(accounts)
      #expect(
        lines == [
          "NAME  ROLE        INSTITUTION  CREATED",
          "Ada   researcher  Uppsala      2024-05-01T12:00:00Z",
          "zed   bot         -            2024-05-01T12:00:00Z",
        ])
      let text = lines.joined()
      #expect(!text.contains("z@x.edu"))
      #expect(!text.contains(try #require(accounts[1].password).scryptHash))
    }
  }

  @Test func setChangesOnlyTheGivenFields() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      let before = try admin.createAccount(
        name: "Ada", settings: .init(password: "first-password", institution: "Uppsala"))
      let changed = try admin.updateAccount(
        name: "ADA", settings: .init(institution: "", role: "admin", email: "ada@example.edu"))
      #expect(changed.institution == nil)
      #expect(changed.role == .admin)
      #expect(changed.email == "ada@example.edu")
      #expect(changed.password == before.password)
      #expect(try admin.store.account(foldedName: "ada") == changed)
      let rehashed = try admin.updateAccount(name: "ada", settings: .init(password: "second-pw"))
      #expect(rehashed.password != before.password)
      #expect(rehashed.role == .admin)
    }
  }

  @Test func setAddsAndRemovesCertificates() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      try admin.createAccount(name: "Ada")
      try admin.createAccount(name: "Bob")
      let hex = String(repeating: "ab", count: 32)
      let colons = stride(from: 0, to: 64, by: 2).map { _ in "AB" }.joined(separator: ":")
      try admin.updateAccount(name: "ada", settings: .init(addCertificates: [colons]))
      #expect(try admin.store.account(certificateFingerprint: hex)?.name == "Ada")
      #expect(
        adminError { try admin.updateAccount(name: "bob", settings: .init(addCertificates: [hex])) }
          == .certificateInUse(fingerprint: hex, account: "Ada"))
      #expect(
        adminError {
          try admin.updateAccount(name: "ada", settings: .init(addCertificates: ["xyz"]))
        }
          == .invalidFingerprint("xyz"))
      try admin.updateAccount(name: "ada", settings: .init(removeCertificates: [hex]))
      #expect(try admin.store.account(certificateFingerprint: hex) == nil)
      #expect(
        adminError {
          try admin.updateAccount(name: "ada", settings: .init(removeCertificates: [hex]))
        }
          == .unknownCertificate(hex))
    }
  }

  @Test func setAndDeleteOfAnUnknownAccountFail() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      #expect(
        adminError { try admin.updateAccount(name: "nobody", settings: .init(role: "staff")) }
          == .unknownAccount("nobody"))
      #expect(adminError { try admin.deleteAccount(name: "nobody") } == .unknownAccount("nobody"))
      try admin.createAccount(name: "Ada")
      try admin.deleteAccount(name: "ADA")
      #expect(try admin.listAccounts().isEmpty)
    }
  }

  @Test func tokensAreCreatedOnceListedAndRevoked() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      try admin.createAccount(name: "Ada")
      let secret = try admin.createToken(account: "ADA", tokenName: "ci-bot")
      #expect(!secret.isEmpty)
      let tokens = try admin.listTokens(account: "ada")
      #expect(tokens.map(\.name) == ["ci-bot"])
      #expect(tokens.first?.secretDigest != secret)
      #expect(!(tokens.first?.secretDigest.contains(secret) ?? true))
      #expect(
        AccountAdministration.tokenTable(tokens) == [
          "NAME    CREATED               LAST USED",
          "ci-bot  2024-05-01T12:00:00Z  never",
        ])
      let again = adminError { _ = try admin.createToken(account: "ada", tokenName: "ci-bot") }
      #expect(again == .tokenExists(account: "Ada", name: "ci-bot"))
      try admin.revokeToken(account: "ada", tokenName: "ci-bot")
      #expect(try admin.listTokens(account: "ada").isEmpty)
      let revokedTwice = adminError { try admin.revokeToken(account: "ada", tokenName: "ci-bot") }
      #expect(revokedTwice == .unknownToken(account: "Ada", name: "ci-bot"))
    }
  }

  @Test func tokenCommandsCheckTheirArguments() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      #expect(
        adminError { _ = try admin.createToken(account: "nobody", tokenName: "ci") }
          == .unknownAccount("nobody"))
      #expect(
        adminError { _ = try admin.listTokens(account: "nobody") } == .unknownAccount("nobody"))
      #expect(
        adminError { try admin.revokeToken(account: "nobody", tokenName: "ci") }
          == .unknownAccount("nobody"))
      try admin.createAccount(name: "Ada")
      for bad in ["", "has space", String(repeating: "t", count: 33)] {
        #expect(
          adminError { _ = try admin.createToken(account: "ada", tokenName: bad) }
            == .invalidTokenName(bad))
      }
    }
  }

  @Test func deletingAnAccountDeletesItsTokens() throws {
    try withAdministration { (admin: AccountAdministration) throws in
      try admin.createAccount(name: "Ada")
      _ = try admin.createToken(account: "ada", tokenName: "ci")
      try admin.deleteAccount(name: "ada")
      try admin.createAccount(name: "Ada")
      #expect(try admin.listTokens(account: "ada").isEmpty)
    }
  }

  @Test func dataDirectoryComesFromTheFlagThenTheDefault() throws {
    #expect(try AccountAdministration.dataDirectory(configFile: nil, dataDirectory: "/x") == "/x")
    #expect(
      try AccountAdministration.dataDirectory(configFile: nil, dataDirectory: nil)
        == ServerConfiguration().dataDirectory)
  }
}
