import Foundation
import LyceumAccounts
import LyceumCore
import LyceumProtocol
import LyceumStore

/// What the operator's `lyceumd account …` and `lyceumd token …` commands do, over any
/// `AccountStore`, so that it is tested without a process or a terminal.
///
/// Names are validated as nicknames (accounts are what users log in as with SASL and `PASS`)
/// and folded with the server's `rfc1459` case mapping to find the record. Password hashing and
/// token secrets come from `LyceumAccounts`; only hashes and digests reach the store.
public struct AccountAdministration: Sendable {
  /// The longest account name accepted, in bytes (the server's `NICKLEN`).
  public static let maximumNameLength = 30

  /// The store the commands act on.
  public let store: any AccountStore
  let caseMapping = CaseMapping.rfc1459
  let now: @Sendable () -> Int64
  /// Turns passwords and token secrets into their stored forms (scrypt and SCRAM keys).
  let hasher: PasswordHasher

  /// - Parameters:
  ///   - now: the clock, in milliseconds since 1970, for creation times.
  ///   - hasher: the password hasher; tests pass a cheap one.
  public init(
    store: any AccountStore,
    now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
    hasher: PasswordHasher = PasswordHasher()
  ) {
    self.store = store
    self.now = now
    self.hasher = hasher
  }

  /// Administration of the server's SQLite database in `dataDirectory`. A directory without a
  /// database is refused (run from the wrong directory, a command would otherwise create an
  /// empty database and report an empty table), unless `creating` says to make one.
  public static func open(dataDirectory: String, creating: Bool = false) throws
    -> AccountAdministration
  {
    let path = dataDirectory + "/" + LyceumDatabase.fileName
    guard creating || FileManager.default.fileExists(atPath: path) else {
      throw AccountAdministrationError.noDatabase(path)
    }
    return AccountAdministration(
      store: SQLiteAccountStore(database: try LyceumDatabase.inDataDirectory(dataDirectory)))
  }

  /// The data directory `lyceumd` would use with these flags: `--data-dir` if given, else the
  /// configuration file's `data-dir`, else the default.
  public static func dataDirectory(configFile: String?, dataDirectory: String?) throws -> String {
    try ServerConfiguration.load(
      fromYAMLFile: configFile, applying: ConfigurationOverrides(dataDirectory: dataDirectory)
    ).dataDirectory
  }

  /// The stored account called `name` (any case), or `.unknownAccount`.
  func existingAccount(_ name: String) throws -> AccountRecord {
    guard let account = try storing({ try store.account(foldedName: caseMapping.fold(name)) })
    else { throw AccountAdministrationError.unknownAccount(name) }
    return account
  }

  /// Runs a store call, turning its `.storage` failures (and anything unexpected) into
  /// `.storage`; `.alreadyExists` and `.notFound` are mapped by the callers, which know what
  /// was meant.
  func storing<T>(
    alreadyExists: AccountAdministrationError? = nil, notFound: AccountAdministrationError? = nil,
    _ body: () throws -> T
  ) throws -> T {
    do {
      return try body()
    } catch AccountStoreError.alreadyExists where alreadyExists != nil {
      throw alreadyExists!
    } catch AccountStoreError.notFound where notFound != nil {
      throw notFound!
    } catch let error as AccountStoreError {
      throw AccountAdministrationError.storage("\(error)")
    } catch {
      throw AccountAdministrationError.storage("\(error)")
    }
  }
}
