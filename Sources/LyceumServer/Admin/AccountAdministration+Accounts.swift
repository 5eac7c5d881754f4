import LyceumCore
import LyceumProtocol

/// `account create | list | set | delete`.
extension AccountAdministration {
  /// Creates the account `name` (as written; looked up case-insensitively) with `settings`.
  @discardableResult
  public func createAccount(name: String, settings: AccountSettings = AccountSettings()) throws
    -> AccountRecord
  {
    guard IRCNames.isValidNick(name, maxLength: Self.maximumNameLength) else {
      throw AccountAdministrationError.invalidAccountName(name)
    }
    let foldedName = caseMapping.fold(name)
    // Checked before hashing: a duplicate should not cost an scrypt run.
    if let existing = try storing({ try store.account(foldedName: foldedName) }) {
      throw AccountAdministrationError.accountExists(existing.name)
    }
    var account = AccountRecord(name: name, foldedName: foldedName, createdAtMilliseconds: now())
    try apply(settings, to: &account)
    try storing(alreadyExists: .accountExists(name)) { try store.create(account) }
    return account
  }

  /// Every account, sorted by folded name.
  public func listAccounts() throws -> [AccountRecord] {
    try storing { try store.allAccounts() }
  }

  /// Changes the given fields of the account `name`; returns the stored record.
  @discardableResult
  public func updateAccount(name: String, settings: AccountSettings) throws -> AccountRecord {
    var account = try existingAccount(name)
    try apply(settings, to: &account)
    try storing(notFound: .unknownAccount(name)) { try store.update(account) }
    return account
  }

  /// Deletes the account `name` with its tokens and certificates.
  public func deleteAccount(name: String) throws {
    try storing(notFound: .unknownAccount(name)) {
      try store.delete(foldedName: caseMapping.fold(name))
    }
  }

  /// Validates every given field, then writes them into `account`. The password is hashed last,
  /// so that a typo elsewhere does not cost an scrypt run.
  func apply(_ settings: AccountSettings, to account: inout AccountRecord) throws {
    if let roleName = settings.role {
      guard let role = AccountRole(rawValue: roleName.lowercased()) else {
        throw AccountAdministrationError.invalidRole(roleName)
      }
      account.role = role
    }
    if let institution = settings.institution { account.institution = nonEmpty(institution) }
    if let displayName = settings.displayName { account.displayName = nonEmpty(displayName) }
    if let email = settings.email { account.email = nonEmpty(email) }
    for fingerprint in try settings.removeCertificates.map(Self.normalizedFingerprint) {
      guard let index = account.certificateFingerprints.firstIndex(of: fingerprint) else {
        throw AccountAdministrationError.unknownCertificate(fingerprint)
      }
      account.certificateFingerprints.remove(at: index)
    }
    for fingerprint in try settings.addCertificates.map(Self.normalizedFingerprint)
    where !account.certificateFingerprints.contains(fingerprint) {
      let owner = try storing { try store.account(certificateFingerprint: fingerprint) }
      if let owner, owner.foldedName != account.foldedName {
        throw AccountAdministrationError.certificateInUse(
          fingerprint: fingerprint, account: owner.name)
      }
      account.certificateFingerprints.append(fingerprint)
    }
    if let password = settings.password {
      guard !password.isEmpty else { throw AccountAdministrationError.emptyPassword }
      do {
        // The SCRAM salt stays, so the account's API tokens keep working with SCRAM.
        account.password = try hasher.makeCredential(
          password: password, keepingSCRAMSaltOf: account.password)
      } catch {
        throw AccountAdministrationError.storage("cannot hash the password: \(error)")
      }
    }
  }

  /// A SHA-256 fingerprint as stored: 64 lower-case hex digits. Accepts upper case and the
  /// colon-separated form `openssl x509 -fingerprint -sha256` prints.
  static func normalizedFingerprint(_ text: String) throws -> String {
    let hex = text.filter { $0 != ":" }.lowercased()
    guard hex.utf8.count == 64, hex.allSatisfy(\.isHexDigit) else {
      throw AccountAdministrationError.invalidFingerprint(text)
    }
    return hex
  }

  private func nonEmpty(_ text: String) -> String? {
    text.isEmpty ? nil : text
  }
}
