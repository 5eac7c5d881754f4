import LyceumCore
import LyceumStore

/// History rows collected column by column and inserted in one statement: each column is one
/// array parameter, `unnest` turns the arrays back into rows, and `ordinality` keeps their
/// order, so the identity `id` (history order) follows the order the entries were given in.
struct HistoryRows {
  private var targets: [String?] = []
  private var msgids: [String?] = []
  private var times: [String?] = []
  private var timeKeys: [String?] = []
  private var messageTimeKeys: [String?] = []
  private var commands: [String?] = []
  private var sources: [String?] = []
  private var accounts: [String?] = []
  private var clientTags: [String?] = []
  private var params: [String?] = []
  private var replyTos: [String?] = []
  private var events: [String?] = []
  private var threadRoots: [String?] = []
  private var lines: [String?] = []
  private var searches: [String?] = []

  var isEmpty: Bool { targets.isEmpty }

  mutating func append(
    _ entry: HistoryEntry, timeKey: Int64, messageTimeKey: Int64?, threadRoot: String?
  ) {
    targets.append(entry.target.key)
    msgids.append(entry.msgid)
    times.append(String(entry.timeMilliseconds))
    timeKeys.append(String(timeKey))
    messageTimeKeys.append(messageTimeKey.map { String($0) })
    commands.append(entry.command)
    sources.append(entry.source)
    accounts.append(entry.account)
    clientTags.append(HistoryCoding.encode(tags: entry.clientTags))
    params.append(HistoryCoding.encode(params: entry.params))
    replyTos.append(entry.replyTo)
    events.append(entry.isEvent ? "t" : "f")
    threadRoots.append(threadRoot)
    lines.append(entry.lines.map { HistoryCoding.encode(lines: $0) })
    searches.append(Self.searchVector(entry))
  }

  /// Inserts every row collected; `ON CONFLICT` only guards against a row kept meanwhile by
  /// someone else (the caller already left out what it found kept).
  func insert(_ connection: PostgresConnection) throws {
    guard !isEmpty else { return }
    let columns = [
      targets, msgids, times, timeKeys, messageTimeKeys, commands, sources, accounts,
      clientTags, params, replyTos, events, threadRoots, lines, searches,
    ]
    try connection.query(
      """
      INSERT INTO history (target, msgid, time_ms, time_key, message_time_key, command, source,
        account, client_tags, params, reply_to, is_event, thread_root, lines, search)
      SELECT target, msgid, time_ms, time_key, message_time_key, command, source, account,
        client_tags, params, reply_to, is_event, thread_root, lines, search
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
        $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[],
        $13::text[], $14::text[], $15::tsvector[])
        WITH ORDINALITY AS given (target, msgid, time_ms, time_key, message_time_key, command,
          source, account, client_tags, params, reply_to, is_event, thread_root, lines, search,
          position)
      ORDER BY position
      ON CONFLICT (target, msgid) DO NOTHING
      """,
      columns.map { PostgresValue.array($0) })
  }

  /// The search vector of a kept `PRIVMSG` or `NOTICE` (its last parameter); nil for other
  /// rows and for a message without text, which are then no search candidates (as in SQLite).
  private static func searchVector(_ entry: HistoryEntry) -> String? {
    guard entry.command == "PRIVMSG" || entry.command == "NOTICE", entry.params.count >= 2,
      let text = entry.params.last
    else { return nil }
    return PostgresSearchText.vector(text)
  }
}
