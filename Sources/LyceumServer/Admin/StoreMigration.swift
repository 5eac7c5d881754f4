import Foundation
import LyceumCore
import LyceumPostgres
import LyceumStore

/// What `lyceumd migrate-store` does: copies an installation's SQLite store (accounts with
/// their tokens, rooms, read markers, the whole history) into an empty PostgreSQL store, then
/// checks that both hold the same, so that an installation moves without losing a line.
///
/// History moves as stored rows (`StoredHistoryRow`), in history order and in batches of
/// `batchSize`, so memory stays bounded whatever its size; msgids, times, threads, reactions,
/// multiline lines and redactions are copied as they are, never recomputed. The other tables
/// are small and go through the store protocols. The check (`check()`) reads both stores again.
public struct StoreMigration: Sendable {
  /// The SQLite side.
  let sourcePath: String
  let sourceAccounts: SQLiteAccountStore
  let sourceRooms: SQLiteRoomStore
  let sourceMarkers: SQLiteReadMarkerStore
  let sourceHistory: SQLiteHistoryStore
  /// The PostgreSQL side.
  let targetLocation: String
  let targetAccounts: PostgresAccountStore
  let targetRooms: PostgresRoomStore
  let targetMarkers: PostgresReadMarkerStore
  let targetHistory: PostgresHistoryStore
  /// History rows read and written per transaction.
  public let batchSize: Int
  /// Receives one line of progress at a time (`lyceumd` writes them to standard error).
  let progress: @Sendable (String) -> Void

  /// Opens the stores of the command line's `--from sqlite:<path>` and `--to postgresql://…`.
  public static func open(
    from: String, to: String, batchSize: Int = 2000,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> StoreMigration {
    let prefix = "sqlite:"
    guard from.hasPrefix(prefix), from.count > prefix.count else {
      throw StoreMigrationError.invalidArgument(
        "--from: expected sqlite:<data directory or database file>")
    }
    guard to.hasPrefix("postgresql://") || to.hasPrefix("postgres://") else {
      throw StoreMigrationError.invalidArgument("--to: expected a postgresql:// URL")
    }
    let url: PostgresURL
    do {
      url = try PostgresURL(to)
    } catch {
      // PostgresURL's errors never repeat the URL (it may hold a password).
      throw StoreMigrationError.invalidArgument("--to: \(error)")
    }
    return try open(
      source: String(from.dropFirst(prefix.count)), target: url, batchSize: batchSize,
      progress: progress)
  }

  /// Opens both stores. `source` is a data directory or the path of its `.sqlite` file, which
  /// must exist and must not be open in another process (a running server would go on writing
  /// into the store being moved).
  public static func open(
    source: String, target: PostgresURL, batchSize: Int = 2000,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> StoreMigration {
    let path = try sourceDatabasePath(source)
    guard !LyceumDatabase.isOpenByAnotherProcess(path: path) else {
      throw StoreMigrationError.sourceInUse(path)
    }
    let database: LyceumDatabase
    do {
      database = try LyceumDatabase(path: path)
    } catch {
      throw StoreMigrationError.storage("SQLite \(path): \(error)")
    }
    let postgres: PostgresDatabase
    do {
      postgres = try PostgresDatabase(url: target, maxConnections: 2)
    } catch {
      throw StoreMigrationError.storage("\(error)")
    }
    return StoreMigration(
      sourcePath: path, sourceAccounts: SQLiteAccountStore(database: database),
      sourceRooms: SQLiteRoomStore(database: database),
      sourceMarkers: SQLiteReadMarkerStore(database: database),
      sourceHistory: SQLiteHistoryStore(database: database), targetLocation: target.redacted,
      targetAccounts: PostgresAccountStore(database: postgres),
      targetRooms: PostgresRoomStore(database: postgres),
      targetMarkers: PostgresReadMarkerStore(database: postgres),
      targetHistory: PostgresHistoryStore(database: postgres), batchSize: max(1, batchSize),
      progress: progress)
  }

  /// The database file `source` names: the path itself when it is a file, else
  /// `<directory>/lyceum.sqlite`; it must exist (a mistyped path must not become an empty
  /// database that migrates nothing).
  static func sourceDatabasePath(_ source: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
      throw StoreMigrationError.noDatabase(source)
    }
    let path = isDirectory.boolValue ? source + "/" + LyceumDatabase.fileName : source
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreMigrationError.noDatabase(path)
    }
    return path
  }

  /// Copies everything, then checks; returns what was moved. Throws `.targetNotEmpty` before
  /// writing anything if PostgreSQL already holds data, and `.mismatch` with the first
  /// difference if the check fails.
  public func run() throws -> StoreMigrationSummary {
    progress("migrating \(sourcePath) to \(targetLocation)")
    try requireEmptyTarget()
    let started = ContinuousClock.now
    let copied = try copy()
    let copyTime = ContinuousClock.now - started
    progress("checking")
    let summary = try check()
    return StoreMigrationSummary(
      counts: summary, historyRowsCopied: copied, copySeconds: copyTime.seconds,
      totalSeconds: (ContinuousClock.now - started).seconds)
  }

  /// Refuses a target that holds accounts, rooms, read markers or history: a migration never
  /// merges two installations.
  func requireEmptyTarget() throws {
    let held = try storing {
      [
        ("accounts", try !targetAccounts.allAccounts().isEmpty),
        ("rooms", try !targetRooms.allRooms().isEmpty),
        ("read markers", try !targetMarkers.allMarkers().isEmpty),
        ("history", try targetHistory.newestMsgid() != nil),
      ].filter(\.1).map(\.0)
    }
    guard held.isEmpty else {
      throw StoreMigrationError.targetNotEmpty(location: targetLocation, holds: held)
    }
  }

  /// Runs a store call, reporting any failure as `.storage`.
  func storing<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StoreMigrationError {
      throw error
    } catch {
      throw StoreMigrationError.storage("\(error)")
    }
  }
}

extension Duration {
  /// The duration in seconds, as a floating-point number.
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
