/// Durable storage of accounts and their tokens.
///
/// Implemented over SQLite in `LyceumStore` and in memory for tests. Calls may block on disk, so
/// the server makes them from its account service's queue, never from the core's queue.
public protocol AccountStore: Sendable {
  /// All accounts, for the core's in-memory directory at start-up.
  func allAccounts() throws -> [AccountRecord]
  func account(foldedName: String) throws -> AccountRecord?
  /// Inserts a new account; throws `AccountStoreError.alreadyExists` if the name is taken.
  func create(_ account: AccountRecord) throws
  /// Replaces the stored record with the same `foldedName`; throws `.notFound` if absent.
  func update(_ account: AccountRecord) throws
  /// Deletes the account and its tokens; throws `.notFound` if absent.
  func delete(foldedName: String) throws
  /// The account whose certificate fingerprints include `fingerprint`, if any.
  func account(certificateFingerprint fingerprint: String) throws -> AccountRecord?

  /// Adds a token; throws `.alreadyExists` if the account has one with that name.
  func addToken(_ token: APITokenRecord) throws
  func tokens(accountFoldedName: String) throws -> [APITokenRecord]
  /// Removes a token; throws `.notFound` if absent.
  func revokeToken(accountFoldedName: String, name: String) throws
  /// The token with this secret digest on this account, if any.
  func token(accountFoldedName: String, secretDigest: String) throws -> APITokenRecord?
  func markTokenUsed(accountFoldedName: String, name: String, atMilliseconds: Int64) throws
}

/// Why a store operation did not happen.
public enum AccountStoreError: Error, Equatable, Sendable {
  case alreadyExists
  case notFound
  /// The underlying storage failed (disk, corruption); the text is for logs.
  case storage(String)
}
