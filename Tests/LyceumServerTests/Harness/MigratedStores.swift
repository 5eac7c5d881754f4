import LyceumCore
import LyceumPostgres
import LyceumStore
import Testing

/// The stores on both sides of a migration, read through the core's protocols and compared
/// with the test's own expectations (not with the command's check).
struct MigratedStores {
  let sqlite: LyceumDatabase
  let postgres: PostgresDatabase

  init(source: String, schema: String) throws {
    sqlite = try LyceumDatabase.inDataDirectory(source)
    postgres = try PostgresDatabase(url: try #require(PostgresServerSchema.url), schema: schema)
  }

  func expectEqual() throws {
    let accounts = (SQLiteAccountStore(database: sqlite), PostgresAccountStore(database: postgres))
    let all = try accounts.0.allAccounts()
    #expect(all.count == 3)
    #expect(all.first?.certificateFingerprints.count == 2)
    #expect(try accounts.1.allAccounts() == all)
    for account in all {
      let tokens = try accounts.0.tokens(accountFoldedName: account.foldedName)
      #expect(try accounts.1.tokens(accountFoldedName: account.foldedName) == tokens)
    }
    #expect(try accounts.1.tokens(accountFoldedName: "ada").first?.lastUsedMilliseconds != nil)
    let rooms = try SQLiteRoomStore(database: sqlite).allRooms()
    #expect(rooms.count == 2)
    #expect(try PostgresRoomStore(database: postgres).allRooms() == rooms)
    let markers = try SQLiteReadMarkerStore(database: sqlite).allMarkers()
    #expect(markers.count == 3)
    #expect(Set(try PostgresReadMarkerStore(database: postgres).allMarkers()) == Set(markers))
    try expectSameHistory()
  }

  /// Every target whole, its threads, and a thread whose root was redacted.
  private func expectSameHistory() throws {
    let original = SQLiteHistoryStore(database: sqlite)
    let copy = PostgresHistoryStore(database: postgres)
    let targets =
      MigrationSource.channels.map { HistoryTarget.channel($0) } + MigrationSource.directs
    var total = 0
    var orphanedThread = 0
    for target in targets {
      let query = HistoryQuery(
        target: target, selector: .after(.timestamp(Int64.min)), limit: 100_000,
        messagesOnly: false)
      let entries = try original.entries(query)
      total += entries.count
      #expect(!entries.isEmpty, "\(target)")
      #expect(try copy.entries(query) == entries, "\(target)")
      let threads = try original.threads(in: target, before: nil, limit: 1000)
      #expect(try copy.threads(in: target, before: nil, limit: 1000) == threads, "\(target)")
      // A reply to a redacted root stands for the thread it joined (if it came before the
      // redaction), on both sides.
      for reply in entries where reply.replyTo != nil {
        guard !entries.contains(where: { $0.msgid == reply.replyTo }) else { continue }
        let thread = HistoryQuery(
          target: target, selector: .latest(after: nil), limit: 100, messagesOnly: false)
        let replies = try original.threadEntries(root: reply.msgid, query: thread)
        orphanedThread = max(orphanedThread, replies.count)
        #expect(try copy.threadEntries(root: reply.msgid, query: thread) == replies)
      }
    }
    #expect(orphanedThread > 1, "no thread outlived its redacted root")
    #expect(total == 3000)  // each REDACT kept, and the message it erased gone
    #expect(try copy.newestMsgid() == original.newestMsgid())
    #expect(try copy.directTargets().count == 2)
  }

  /// The newest `count` messages (not events) of a channel, oldest first.
  func latestMessages(of channel: String, count: Int) throws -> [HistoryEntry] {
    try SQLiteHistoryStore(database: sqlite).entries(
      HistoryQuery(
        target: .channel(channel), selector: .latest(after: nil), limit: count,
        messagesOnly: true))
  }
}
