import Foundation
import LyceumPostgres
import LyceumServer

/// A schema of its own on the PostgreSQL server `LYCEUM_TEST_POSTGRES_URL` names, for one
/// test's `lyceumd` to keep its data in; dropped by `remove()`.
///
/// The server is pointed at it the way an operator would put Lyceum in a schema: libpq's
/// `options` URL parameter sets the connection's `search_path` (`storeURL`).
struct PostgresServerSchema {
  /// The server's URL; nil when the variable is unset or empty.
  static let url: String? = {
    guard let text = ProcessInfo.processInfo.environment["LYCEUM_TEST_POSTGRES_URL"],
      !text.isEmpty
    else { return nil }
    return text
  }()

  let name: String
  /// The URL for `store:`, with the schema as the connections' `search_path`.
  let storeURL: String
  private let database: PostgresDatabase

  /// Creates the schema (empty; the server migrates it); throws when no server is configured.
  init() throws {
    guard let url = Self.url else { throw NotConfigured() }
    name = "lyceum_e2e_" + UUID().uuidString.lowercased().filter { $0 != "-" }
    database = try PostgresDatabase(url: url, schema: name)
    let separator = url.contains("?") ? "&" : "?"
    storeURL = url + separator + "options=-c%20search_path%3D" + name
  }

  /// `store:` for this schema, as the server's configuration takes it.
  func configuration() throws -> StoreConfiguration {
    .postgresql(try PostgresURL(storeURL))
  }

  func remove() {
    try? database.dropSchema()
  }

  /// Runs `statements` in one transaction in this schema.
  func run(_ statements: [String]) throws {
    try database.runInOneTransaction(statements)
  }

  struct NotConfigured: Error, CustomStringConvertible {
    var description: String { "LYCEUM_TEST_POSTGRES_URL is not set" }
  }
}

/// The backends a server test runs against: SQLite always, PostgreSQL when a server is
/// configured (the store tests' `PostgresAvailabilityTests` fails when it is not).
enum ServerTestStore: String, Sendable, CustomStringConvertible {
  case sqlite
  case postgresql

  static var all: [ServerTestStore] {
    PostgresServerSchema.url == nil ? [.sqlite] : [.sqlite, .postgresql]
  }

  var description: String { rawValue }
}
