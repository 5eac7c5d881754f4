import Foundation
import LyceumCore
import LyceumPostgres
import LyceumServer
import LyceumStore
import Testing

/// `lyceumd migrate-store` as an operator runs it: the real binary on a real SQLite data
/// directory and a real PostgreSQL schema. What PostgreSQL holds afterwards is compared here
/// independently of the command's own check, and a server started on it serves the history.
@Suite(.enabled(if: PostgresServerSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct MigrateStoreE2ETests {
  /// Runs `lyceumd migrate-store --from sqlite:<source> --to <url>`; returns the process after it
  /// exited (or failed the test at a two-minute deadline).
  private func migrate(_ source: String, to url: String) throws -> (Int32?, ChildProcess) {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    let process = try ChildProcess(
      binary, ["migrate-store", "--from", "sqlite:" + source, "--to", url, "--batch-size", "500"])
    let status = process.waitForExit(timeout: .seconds(120))
    if status == nil { process.kill() }
    return (status, process)
  }

  /// The password of the test server's URL, which no output may show.
  private var password: String? {
    guard let url = PostgresServerSchema.url, let components = URLComponents(string: url)
    else { return nil }
    return components.password
  }

  @Test func copiesEverythingAndAServerOnTheCopyServesItsHistory() throws {
    let source = try MigrationSource.make(entries: 3000)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let schema = try PostgresServerSchema()
    defer { schema.remove() }

    let (status, process) = try migrate(source, to: schema.storeURL)
    #expect(status == 0, "stdout:\n\(process.standardOutput)\nstderr:\n\(process.standardError)")
    #expect(process.standardOutput.contains("checked: equal counts"))
    #expect(process.standardError.contains("history: 3"))
    if let password {
      #expect(!(process.standardOutput + process.standardError).contains(password))
    }
    try MigratedStores(source: source, schema: schema.name).expectEqual()

    let server = try TestServer {
      HistoryE2ETests.unthrottled(&$0)
      $0.store = try! schema.configuration()
    }
    defer { server.stop() }
    let reader = try server.registered("reader", caps: historyCaps)
    try reader.join("#lab")
    let served = try reader.chathistory("LATEST #lab * 50")
    #expect(served.fail == nil)
    let kept = try MigratedStores(source: source, schema: schema.name).latestMessages(
      of: "#lab", count: 50)
    #expect(!kept.isEmpty)
    // A multiline message reaches this client as several lines under one msgid.
    let servedIDs = served.messages.compactMap(\.msgid).reduce(into: [String]()) { ids, id in
      if ids.last != id { ids.append(id) }
    }
    #expect(servedIDs == kept.map(\.msgid))
    let single = kept.filter { $0.lines == nil }
    let singleIDs = Set(single.map(\.msgid))
    #expect(
      served.messages.filter { singleIDs.contains($0.msgid ?? "") }.map(\.trailing)
        == single.map { $0.params.last })
  }

  @Test func aTargetThatHoldsDataIsRefusedAndLeftAsItWas() throws {
    let source = try MigrationSource.make(entries: 40)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let database = try PostgresDatabase(
      url: try #require(PostgresServerSchema.url), schema: schema.name)
    try PostgresRoomStore(database: database).save(
      RoomRecord(name: "#other", foldedName: "#other", owner: "zed", createdAtMilliseconds: 1))

    let (status, process) = try migrate(source, to: schema.storeURL)
    #expect(status == 1, "stderr:\n\(process.standardError)")
    #expect(process.standardError.contains("already holds rooms"), "\(process.standardError)")
    #expect(try PostgresAccountStore(database: database).allAccounts().isEmpty)
    #expect(try PostgresHistoryStore(database: database).newestMsgid() == nil)
    if let password { #expect(!process.standardError.contains(password)) }
  }

  @Test func aSourceOpenInAnotherProcessIsRefused() throws {
    let source = try MigrationSource.make(entries: 10)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    // This test process has the database open, as a running server would.
    let open = try LyceumDatabase.inDataDirectory(source)
    _ = try SQLiteAccountStore(database: open).allAccounts()

    let (status, process) = try migrate(source, to: schema.storeURL)
    #expect(status == 1, "stderr:\n\(process.standardError)")
    #expect(process.standardError.contains("open in another process"), "\(process.standardError)")
    let database = try PostgresDatabase(
      url: try #require(PostgresServerSchema.url), schema: schema.name)
    #expect(try PostgresAccountStore(database: database).allAccounts().isEmpty)
    withExtendedLifetime(open) {}
  }

  @Test func aMissingSourceOrAWrongArgumentIsRefused() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let (missing, process) = try migrate("/nonexistent/lyceum-data", to: schema.storeURL)
    #expect(missing == 1)
    #expect(process.standardError.contains("no SQLite database at /nonexistent/lyceum-data"))
    let (wrong, _) = try migrate("/tmp", to: "mysql://somewhere")
    #expect(wrong == 64)
  }

  /// The command's own check is no formality: a copy changed afterwards (a message redacted in
  /// PostgreSQL only, which leaves every count equal) fails it with the first difference.
  @Test func theCheckFindsAChangedCopy() throws {
    let source = try MigrationSource.make(entries: 300)
    defer { try? FileManager.default.removeItem(atPath: source) }
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let (status, process) = try migrate(source, to: schema.storeURL)
    #expect(status == 0, "stderr:\n\(process.standardError)")
    let migration = try StoreMigration.open(from: "sqlite:" + source, to: schema.storeURL)
    #expect(try migration.check().historyEntries == 300)

    let stores = try MigratedStores(source: source, schema: schema.name)
    let message = try #require(try stores.latestMessages(of: "#lab", count: 1).last)
    try PostgresHistoryStore(database: stores.postgres).append([
      HistoryEntry(
        msgid: "zzzzzzzzzzzzz", timeMilliseconds: message.timeMilliseconds + 1,
        target: message.target, command: "REDACT", source: message.source,
        account: message.account, params: ["#lab", message.msgid])
    ])
    #expect(throws: StoreMigrationError.self) { try migration.check() }
    do {
      _ = try migration.check()
    } catch {
      #expect("\(error)".contains("msgid \(message.msgid)"), "\(error)")
    }
  }
}
