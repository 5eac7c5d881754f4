import Foundation
import LyceumCore
import LyceumPostgres
import Testing

@testable import LyceumStore

/// A fresh, empty directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func remove() {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// The store implementations the shared behaviour suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case inMemory
  case sqlite
  /// A schema of its own on the server `LYCEUM_TEST_POSTGRES_URL` names.
  case postgresql

  /// Every kind; PostgreSQL only when a server is configured (else
  /// `PostgresAvailabilityTests` fails, unless `LYCEUM_SKIP_POSTGRES=1`).
  static var allCases: [StoreKind] { [.inMemory] + persistent }

  /// The kinds that keep data outside the process: SQLite, and PostgreSQL when configured.
  static var persistent: [StoreKind] {
    PostgresTestSchema.url == nil ? [.sqlite] : [.sqlite, .postgresql]
  }

  var testDescription: String { rawValue }

  /// Runs `body` with a new, empty store of this kind (SQLite in a temporary directory).
  func withStore(_ body: (any AccountStore) throws -> Void) throws {
    switch self {
    case .inMemory:
      try body(InMemoryAccountStore())
    case .sqlite:
      let directory = try TemporaryDirectory()
      defer { directory.remove() }
      try body(SQLiteAccountStore(database: try LyceumDatabase.inDataDirectory(directory.path)))
    case .postgresql:
      let schema = try PostgresTestSchema()
      defer { schema.remove() }
      try body(PostgresAccountStore(database: schema.database))
    }
  }
}

/// Sample records.
enum Sample {
  static let credential = PasswordCredential(
    scryptHash: "scrypt$16384$8$1$c2FsdHNhbHQ=$ZmFrZWhhc2hmYWtlaGFzaA==",
    scramSalt: [1, 2, 3, 4], scramIterations: 4096, scramStoredKey: Array(repeating: 7, count: 32),
    scramServerKey: Array(repeating: 9, count: 32))

  static func account(
    _ name: String, certificates: [String] = [], password: PasswordCredential? = nil
  ) -> AccountRecord {
    AccountRecord(
      name: name, foldedName: name.lowercased(), createdAtMilliseconds: 1_700_000_000_000,
      institution: "Uppsala", role: .faculty, displayName: "Dr \(name)",
      email: "\(name.lowercased())@example.edu", password: password,
      certificateFingerprints: certificates)
  }

  static func token(_ account: String, _ name: String, digest: String = "ab12") -> APITokenRecord {
    APITokenRecord(
      accountFoldedName: account, name: name, secretDigest: digest,
      createdAtMilliseconds: 1_700_000_000_500)
  }
}
