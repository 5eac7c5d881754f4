import ArgumentParser
import LyceumCore
import LyceumPostgres
import LyceumStore

/// Which store a store scenario fills: the data directory's SQLite database, as lyceumd's
/// default, or a PostgreSQL database, as with lyceumd's `store: postgresql://…`.
struct BenchStore: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The store: sqlite (the data directory's database) or a postgresql:// URL.",
      discussion: "A PostgreSQL database must hold no history yet.", valueName: "store"))
  var store = "sqlite"

  /// The store opened: its history and rooms, where it is (no password), and its size.
  struct Opened {
    let history: any ServerHistoryStore
    let rooms: any RoomStore
    let location: String
    /// Bytes on disk (SQLite file, or the PostgreSQL database's size).
    let bytes: () -> Int
    /// Makes everything written so far durable and compact where the store needs it.
    let finish: () throws -> Void
  }

  var isPostgreSQL: Bool { store.hasPrefix("postgresql://") || store.hasPrefix("postgres://") }

  func validate() throws {
    guard store == "sqlite" || isPostgreSQL else {
      throw ValidationError("--store must be sqlite or a postgresql:// URL")
    }
  }

  /// Opens the store; an SQLite store lives in `directory`.
  func open(in directory: DataDirectory) throws -> Opened {
    if isPostgreSQL {
      let url = try PostgresURL(store)
      let database = try PostgresDatabase(url: url)
      return Opened(
        history: PostgresHistoryStore(database: database),
        rooms: PostgresRoomStore(database: database), location: url.redacted,
        bytes: { (try? database.databaseBytes()) ?? 0 }, finish: {})
    }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    return Opened(
      history: SQLiteHistoryStore(database: database), rooms: SQLiteRoomStore(database: database),
      location: database.path, bytes: { directory.databaseBytes() },
      finish: { try database.checkpoint() })
  }
}
