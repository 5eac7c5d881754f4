import Foundation
import GRDB

/// The server's one SQLite database file, `<data directory>/lyceum.sqlite`, opened as a GRDB
/// `DatabasePool` and migrated to the current schema.
///
/// A pool in WAL mode lets many readers (account look-ups, history pages) run while one writer
/// commits; `synchronous=NORMAL` is durable across process crashes in WAL mode and much faster
/// than `FULL` (a power loss may drop only the last transactions; pass
/// `durableAgainstPowerLoss: true` for `FULL`, which syncs the WAL at every commit). Foreign keys are on so that
/// deleting an account cascades to its tokens and certificates. The busy timeout covers a second
/// process (for example `lyceumd account …` while the server runs) holding the write lock.
///
/// GRDB rather than raw `sqlite3_*` calls: a maintained library whose migrator, WAL pool
/// (concurrent readers, one writer), statement cache and typed errors we would otherwise write
/// and debug ourselves.
public final class LyceumDatabase: Sendable {
  /// The file name inside the data directory.
  public static let fileName = "lyceum.sqlite"

  /// The pool the stores of this module read and write through.
  package let pool: DatabasePool

  /// The path of the database file.
  public let path: String

  /// Opens (creating if needed) the database at `path` and applies every pending migration.
  ///
  /// `durableAgainstPowerLoss` sets `synchronous=FULL`: a commit then waits for the WAL to reach
  /// the disk, so a power loss or kernel crash loses no committed transaction. With the default
  /// `NORMAL`, commits survive a crash or `kill -9` of the process but the last ones may be lost
  /// with the power; group commit (`GroupCommitWriter`) keeps the cost of `FULL` to one sync per
  /// group rather than one per message.
  public init(path: String, durableAgainstPowerLoss: Bool = false) throws {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    configuration.busyMode = .timeout(5)
    configuration.label = "lyceum"
    configuration.prepareDatabase { db in
      try db.execute(
        sql: durableAgainstPowerLoss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
    }
    self.path = path
    // Owner-only from the first byte: SQLite gives its -wal and -shm files the same mode.
    if !FileManager.default.fileExists(atPath: path) {
      _ = FileManager.default.createFile(
        atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    }
    self.pool = try DatabasePool(path: path, configuration: configuration)
    try LyceumMigrations.migrator.migrate(pool)
  }

  /// Opens `<dir>/lyceum.sqlite`, creating the directory (owner-only) if it does not exist.
  public static func inDataDirectory(_ dir: String, durableAgainstPowerLoss: Bool = false) throws
    -> LyceumDatabase
  {
    try FileManager.default.createDirectory(
      atPath: dir, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    return try LyceumDatabase(
      path: dir + "/" + fileName, durableAgainstPowerLoss: durableAgainstPowerLoss)
  }

  /// Commits one real write (the header's `user_version`, rewritten unchanged), so that a
  /// file SQLite could only open read-only (a read-only or immutable file) is found at
  /// start-up rather than at the first message.
  public func requireWritable() throws {
    try pool.write { db in
      let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
      try db.execute(sql: "PRAGMA user_version = \(version)")
    }
  }

  /// Runs `body` in one write transaction (`BEGIN IMMEDIATE` … `COMMIT`, rolled back when
  /// `body` or the commit throws), like `pool.write`, but with the two statements prepared once
  /// and kept in the writer's statement cache.
  ///
  /// Why: `pool.write` prepares `BEGIN IMMEDIATE TRANSACTION` and `COMMIT TRANSACTION` anew for
  /// every transaction. For the history writer at light load, one message per commit with
  /// every cache cold, `perf` found a third of the writer's samples in beginning the
  /// transaction, half of them in SQLite's parser; and every kept line waits for its commit
  /// before anyone is shown it. Measured with `perf probe` on the writer's `write` (`fanout
  /// --clients 200 --senders 1 --rate 10`, six runs each): a median of 260–301 µs per commit
  /// before, 219–253 µs after.
  package func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
    try pool.writeWithoutTransaction { db in
      try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
      do {
        let result = try body(db)
        try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        return result
      } catch {
        if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
        throw error
      }
    }
  }

  /// The identifiers of the migrations applied to this file, in order.
  public func appliedMigrations() throws -> [String] {
    try pool.read { db in try LyceumMigrations.migrator.appliedMigrations(db) }
  }

  /// Moves the WAL's content into the main file and truncates the WAL (for backups and tests).
  public func checkpoint() throws {
    try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
  }
}
