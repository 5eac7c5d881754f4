import LyceumCore
import LyceumPostgres
import LyceumProtocol
import Testing

@testable import LyceumStore

extension StoreKind {
  /// Runs `body` with a new, empty history store of this kind (SQLite in a temporary directory,
  /// PostgreSQL in a schema of its own).
  func withHistoryStore(_ body: (any HistoryStore) throws -> Void) throws {
    switch self {
    case .inMemory:
      try body(InMemoryHistoryStore())
    case .sqlite, .postgresql:
      try withServerHistoryStore(body)
    }
  }

  /// Runs `body` with a new, empty persistent history store of this kind; `deletionChunk` is
  /// the retention sweep's transaction size. Not for `.inMemory`.
  func withServerHistoryStore(
    deletionChunk: Int = 5000, _ body: (any ServerHistoryStore) throws -> Void
  ) throws {
    switch self {
    case .inMemory:
      preconditionFailure("the in-memory store is no ServerHistoryStore")
    case .sqlite:
      let directory = try TemporaryDirectory()
      defer { directory.remove() }
      try body(
        SQLiteHistoryStore(
          database: try LyceumDatabase.inDataDirectory(directory.path),
          deletionChunk: deletionChunk))
    case .postgresql:
      let schema = try PostgresTestSchema()
      defer { schema.remove() }
      try body(PostgresHistoryStore(database: schema.database, deletionChunk: deletionChunk))
    }
  }
}

/// Sample history: entry `n` has msgid `m<n>` (two digits) and, unless told, time `n` seconds.
enum HistorySample {
  static let channel = HistoryTarget.channel("#lyceum")
  static let other = HistoryTarget.channel("#other")
  static let direct = HistoryTarget.between("bob", "alice")

  static func msgid(_ n: Int) -> String { n < 10 ? "m0\(n)" : "m\(n)" }

  static func entry(
    _ n: Int, _ command: String = "PRIVMSG", target: HistoryTarget = channel,
    time: Int64? = nil
  ) -> HistoryEntry {
    HistoryEntry(
      msgid: msgid(n), timeMilliseconds: time ?? Int64(n) * 1000, target: target,
      command: command, source: "ada!ada@uu.se", account: "Ada",
      params: command == "JOIN" ? [target.key] : [target.key, "message \(n)"])
  }

  /// `#lyceum`: entries 1…10, of which 4 and 7 are `JOIN` events.
  static let channelEntries = (1...10).map { entry($0, [4, 7].contains($0) ? "JOIN" : "PRIVMSG") }

  /// The numbers of the entries' msgids, to compare selections briefly.
  static func numbers(_ entries: [HistoryEntry]) -> [Int] {
    entries.map { Int($0.msgid.dropFirst()) ?? -1 }
  }
}

extension HistoryStore {
  /// The numbers of the entries `selector` selects in `target`.
  func select(
    _ selector: HistoryQuery.Selector, limit: Int, messagesOnly: Bool = false,
    in target: HistoryTarget = HistorySample.channel
  ) throws -> [Int] {
    HistorySample.numbers(
      try entries(
        HistoryQuery(
          target: target, selector: selector, limit: limit, messagesOnly: messagesOnly)))
  }
}
