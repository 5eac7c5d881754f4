import ArgumentParser
import LyceumServer

/// `lyceumd migrate-store`: moves an installation from its SQLite store to an empty PostgreSQL
/// one and checks the result; the logic is `StoreMigration`'s.
struct MigrateStoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate-store",
    abstract: "Copy a SQLite store (accounts, tokens, rooms, read markers, history) into an "
      + "empty PostgreSQL store, then check that both hold the same.",
    discussion: """
      Stop the server first: a SQLite database that another process has open is refused. \
      The PostgreSQL database (or the schema its URL selects with options=-c search_path=…) \
      must hold no accounts, rooms, read markers or history; it is migrated to the current \
      schema if new. History is copied in batches with its msgids, times, threads and \
      redactions as stored; progress goes to standard error. Afterwards every table and \
      target is counted and every entry compared on both sides: exit status 0 only if all \
      match, 1 with the first difference (or a refusal) otherwise. Then set \
      store: postgresql://… in the configuration and start the server.
      """)

  @Option(
    help: ArgumentHelp(
      "The SQLite store: sqlite:<data directory> or sqlite:<path of lyceum.sqlite>.",
      valueName: "sqlite:path"))
  var from: String

  @Option(
    help: ArgumentHelp(
      "The PostgreSQL store, as for store: (its password may also come from PGPASSWORD or "
        + "~/.pgpass).", valueName: "postgresql://…"))
  var to: String

  @Option(help: ArgumentHelp("History entries per transaction.", valueName: "count"))
  var batchSize = 2000

  func run() throws {
    do {
      let migration = try StoreMigration.open(
        from: from, to: to, batchSize: batchSize,
        progress: { writeToStandardError("lyceumd: \($0)") })
      for line in try migration.run().lines { print(line) }
    } catch let error as StoreMigrationError {
      writeToStandardError("lyceumd: \(error)")
      throw error.isUsageError ? ExitCode(64) : ExitCode.failure
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode.failure
    }
  }
}
