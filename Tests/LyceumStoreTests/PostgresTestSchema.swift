import Foundation
import LyceumPostgres

/// The PostgreSQL server the tests use, named by `LYCEUM_TEST_POSTGRES_URL` (start a private
/// one with `.ci/postgres.sh start`), and a schema of its own for each test.
struct PostgresTestSchema {
  /// The server's URL; nil when the variable is unset or empty.
  static let url: String? = {
    guard let text = ProcessInfo.processInfo.environment["LYCEUM_TEST_POSTGRES_URL"],
      !text.isEmpty
    else { return nil }
    return text
  }()

  /// The database, migrated, working in a new schema `lyceum_test_<random>`.
  let database: PostgresDatabase

  /// Opens a new schema; throws when no server is configured.
  init() throws {
    guard let url = Self.url else { throw NotConfigured() }
    let name = "lyceum_test_" + UUID().uuidString.lowercased().filter { $0 != "-" }
    database = try PostgresDatabase(url: url, schema: name)
  }

  /// The same schema opened again (a restart of the server).
  func reopen() throws -> PostgresDatabase {
    try PostgresDatabase(url: database.url, schema: database.schema)
  }

  /// Drops the schema and everything in it.
  func remove() {
    try? database.dropSchema()
  }

  struct NotConfigured: Error, CustomStringConvertible {
    var description: String { "LYCEUM_TEST_POSTGRES_URL is not set" }
  }
}
