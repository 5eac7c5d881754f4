/// Research threads (`lyceum.chat/threads`): a message kept with `+reply=<msgid>` (or
/// `+draft/reply`) is a reply in the thread of the message it answers.
///
/// The **root** of a thread is the message that is replied to; a reply to a reply belongs to the
/// same root. The store resolves the root when it keeps the reply (`HistoryThreading.root`), so
/// a thread stays whole even after retention removes a reply in the middle of a chain. A reply
/// starts or joins a thread only when the message it answers is a `PRIVMSG` or `NOTICE` of the
/// same target that is already kept; otherwise (an unknown msgid, another room's msgid, an
/// event) it is kept as an ordinary message and belongs to no thread.
///
/// A thread is listed (`THREADS`) once it has a reply that is a message (`PRIVMSG`/`NOTICE`);
/// replies that are events (a `TAGMSG` reaction with `+reply`) belong to the thread and are
/// replayed to `draft/event-playback` clients, but do not count as replies or activity.
public struct HistoryThread: Sendable, Equatable {
  /// The root message, as kept.
  public var root: HistoryEntry
  /// How many message replies the thread has (the root not counted).
  public var replyCount: Int
  /// The time of the newest message reply, milliseconds since 1970.
  public var lastMilliseconds: Int64
  /// Who took part, root author first, then in order of their first message in the thread:
  /// the account name, or the nick for a sender without an account; at most
  /// `HistoryThreading.participantCap` of them.
  public var participants: [String]
  /// How many distinct participants there are in all (may exceed `participants.count`).
  public var participantCount: Int

  public init(
    root: HistoryEntry, replyCount: Int, lastMilliseconds: Int64, participants: [String],
    participantCount: Int
  ) {
    self.root = root
    self.replyCount = replyCount
    self.lastMilliseconds = lastMilliseconds
    self.participants = participants
    self.participantCount = participantCount
  }
}

/// The threading rules shared by the stores.
public enum HistoryThreading {
  /// The most participants a `HistoryThread` names.
  public static let participantCap = 8

  /// How an entry's author is named among a thread's participants: its account, else its nick.
  public static func participant(of entry: HistoryEntry) -> String {
    if let account = entry.account { return account }
    return String(entry.source.prefix { $0 != "!" })
  }

  /// Whether `thread` comes after the position `reference` in the listing order (newest
  /// activity first, ties by root msgid descending): a time means "activity strictly older",
  /// a msgid the listed thread with that root (`cursor`, nil when there is no such thread).
  static func isListed(
    _ thread: (lastMilliseconds: Int64, root: String),
    after reference: HistoryReference?, cursor: (lastMilliseconds: Int64, root: String)?
  ) -> Bool {
    switch reference {
    case nil: return true
    case .timestamp(let time): return thread.lastMilliseconds < time
    case .msgid:
      guard let cursor else { return false }
      return thread.lastMilliseconds < cursor.lastMilliseconds
        || (thread.lastMilliseconds == cursor.lastMilliseconds && thread.root < cursor.root)
    }
  }

  /// Sorts threads newest activity first, ties by root msgid descending.
  static func listingOrder(_ a: HistoryThread, _ b: HistoryThread) -> Bool {
    a.lastMilliseconds != b.lastMilliseconds
      ? a.lastMilliseconds > b.lastMilliseconds : a.root.msgid > b.root.msgid
  }
}

/// What a store without thread support throws; the client sees `FAIL … MESSAGE_ERROR`.
public struct HistoryThreadsUnsupported: Error, Sendable {}

extension HistoryStore {
  /// By default a store keeps no threads (test doubles, stores that predate them).
  public func threads(in target: HistoryTarget, before: HistoryReference?, limit: Int) throws
    -> [HistoryThread]
  {
    throw HistoryThreadsUnsupported()
  }

  public func threadEntries(root: String, query: HistoryQuery) throws -> [HistoryEntry] {
    throw HistoryThreadsUnsupported()
  }
}
