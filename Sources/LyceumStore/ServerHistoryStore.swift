import LyceumCore

/// A `HistoryStore` that can also tell the server what it needs at start-up: where msgids
/// continue, which direct conversations exist, and which recent messages may still be
/// redacted. Both backends (`SQLiteHistoryStore`, and PostgreSQL's in `LyceumPostgres`)
/// provide it, so the server holds its history behind this protocol alone.
public protocol ServerHistoryStore: HistoryStore {
  /// The msgid kept last (the largest), for the server to continue after at start-up.
  func newestMsgid() throws -> String?
  /// Every direct conversation that has entries.
  func directTargets() throws -> [HistoryTarget]
  /// The newest `limit` messages (`PRIVMSG`, `NOTICE`, `TAGMSG`; not events), oldest first:
  /// the msgid, target and sender's account of each, for `REDACT` after a restart.
  func recentMessages(limit: Int) throws -> [(
    msgid: String, target: HistoryTarget, account: String?
  )]
}

extension SQLiteHistoryStore: ServerHistoryStore {}
