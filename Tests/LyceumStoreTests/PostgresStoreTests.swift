import Foundation
import LyceumCore
import Testing

@testable import LyceumPostgres

/// What only the PostgreSQL stores have: a server, a schema and its migrations, connections
/// that break and come back, TLS, and a password that must never show.
@Suite(.enabled(if: PostgresTestSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct PostgresStoreTests {
  @Test func everythingSurvivesReopeningAndMigrationsRunOnce() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    let account = Sample.account("Ada", certificates: ["ab12"], password: Sample.credential)
    let room = RoomStoreTests.fullRoom()
    let marker = ReadMarker(account: "ada", target: "#lab", milliseconds: 42)
    try PostgresAccountStore(database: schema.database).create(account)
    try PostgresAccountStore(database: schema.database).addToken(Sample.token("ada", "bot"))
    try PostgresRoomStore(database: schema.database).save(room)
    try PostgresReadMarkerStore(database: schema.database).save(marker)
    try PostgresHistoryStore(database: schema.database).append(HistorySample.channelEntries)

    let reopened = try schema.reopen()
    #expect(try reopened.appliedMigrations() == PostgresMigrations.steps.map(\.0))
    #expect(try PostgresAccountStore(database: reopened).allAccounts() == [account])
    #expect(
      try PostgresAccountStore(database: reopened).tokens(accountFoldedName: "ada")
        == [Sample.token("ada", "bot")])
    #expect(try PostgresRoomStore(database: reopened).allRooms() == [room])
    #expect(try PostgresReadMarkerStore(database: reopened).allMarkers() == [marker])
    #expect(
      try PostgresHistoryStore(database: reopened).select(.latest(after: nil), limit: 100)
        == Array(1...10))
    let recorded = try reopened.read { connection in
      try connection.query("SELECT count(*) FROM lyceum_migrations").first?.int(0)
    }
    #expect(recorded == Int64(PostgresMigrations.steps.count))
  }

  /// Two processes starting at once on an empty schema: one migrates, the other waits on the
  /// advisory lock and finds every step recorded.
  @Test func concurrentOpeningsMigrateOnce() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    try schema.database.dropSchema()
    let failures = ManagedFailures()
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      do {
        _ = try schema.reopen()
      } catch {
        failures.add(error)
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all)")
    #expect(try schema.reopen().appliedMigrations() == PostgresMigrations.steps.map(\.0))
  }

  /// As after a server restart: every idle connection of the pool is dead. Each transaction
  /// finds out at `BEGIN`, before anything of it was sent, and runs again on another
  /// connection, until a new one is opened.
  @Test func transactionsMeetingDeadConnectionsRunOnNewOnes() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    let database = schema.database
    let store = PostgresReadMarkerStore(database: database)
    try store.save(ReadMarker(account: "ada", target: "#lab", milliseconds: 1))
    // Three connections lent at once, so that three are idle afterwards.
    func pid(_ connection: PostgresConnection) throws -> Int64 {
      try connection.query("SELECT pg_backend_pid()").first?.int(0) ?? 0
    }
    let pids = try database.withConnection { a in
      try database.withConnection { b in
        try database.withConnection { c in [try pid(a), try pid(b), try pid(c)] }
      }
    }
    #expect(Set(pids).count == 3)
    let killer = try schema.reopen()
    try killer.withConnection { connection in
      for pid in pids {
        // Waits (up to 5 s) until the backend is gone.
        let killed = try connection.query(
          "SELECT pg_terminate_backend($1::integer, 5000)", [pid])
        #expect(try killed.first?.bool(0) == true)
      }
    }
    #expect(
      try store.allMarkers() == [ReadMarker(account: "ada", target: "#lab", milliseconds: 1)])
    try store.save(ReadMarker(account: "ada", target: "#lab", milliseconds: 2))
    #expect(
      try store.allMarkers() == [ReadMarker(account: "ada", target: "#lab", milliseconds: 2)])
  }

  @Test func theURLsSSLModeIsUsed() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    let encrypted = try schema.database.withConnection { connection in
      try connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?
        .bool(0)
    }
    if schema.database.url.redacted.contains("sslmode=require") {
      #expect(encrypted == true)
    }
  }

  @Test func thePasswordNeverShows() throws {
    let url = try #require(PostgresTestSchema.url)
    let parsed = try PostgresURL(url)
    let password = try #require(Self.password(in: url))
    #expect(!parsed.redacted.contains(password))
    #expect(!parsed.description.contains(password))
    // A database that does not exist, and a wrong password: errors name neither secret.
    let missing = url.replacingOccurrences(of: "/lyceum_test", with: "/no_such_database")
    let wrong = url.replacingOccurrences(of: ":\(password)@", with: ":wrong\(password)x@")
    for text in [missing, wrong] {
      do {
        _ = try PostgresDatabase(url: text)
        Issue.record("connected to \(text.replacingOccurrences(of: password, with: "***"))")
      } catch {
        let shown = String(describing: error)
        #expect(!shown.contains(password), "\(shown)")
        #expect((error as? PostgresError)?.kind == .connection, "\(shown)")
      }
    }
  }

  /// The statement's SQLSTATE and PostgreSQL's message come through.
  @Test func errorsCarryTheSQLState() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    #expect {
      try schema.database.withConnection { try $0.query("SELECT * FROM no_such_table") }
    } throws: { error in
      let error = error as? PostgresError
      return error?.sqlState == "42P01" && error?.message.contains("no_such_table") == true
    }
  }

  /// A NUL cannot be stored in PostgreSQL's text; it is refused, not cut off where C would.
  @Test func aNULIsRefusedNotTruncated() throws {
    let schema = try PostgresTestSchema()
    defer { schema.remove() }
    #expect {
      try schema.database.withConnection { try $0.query("SELECT $1::text", ["a\u{0}b"]) }
    } throws: { error in
      (error as? PostgresError)?.message.contains("NUL") == true
    }
  }

  /// The password between `://user:` and `@`.
  static func password(in url: String) -> String? {
    guard let scheme = url.range(of: "://"), let at = url.range(of: "@") else { return nil }
    let credentials = url[scheme.upperBound..<at.lowerBound]
    guard let colon = credentials.firstIndex(of: ":") else { return nil }
    return String(credentials[credentials.index(after: colon)...])
  }
}

/// Errors collected from concurrent work.
final class ManagedFailures: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [String] = []

  func add(_ error: any Error) {
    lock.withLock { errors.append(String(describing: error)) }
  }

  var all: [String] { lock.withLock { errors } }
}
