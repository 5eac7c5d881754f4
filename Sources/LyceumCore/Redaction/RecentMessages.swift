/// The most recently kept messages, by msgid: where each was kept and who sent it, so that
/// `REDACT` can be checked without a read of the history store.
///
/// Bounded: the oldest record is forgotten once `capacity` are held; a message no longer here
/// cannot be redacted (`FAIL REDACT UNKNOWN_MSGID`). At start-up the server loads the newest
/// `capacity` messages from the store (`IRCServerCore.loadRecentMessages`), so a restart does
/// not take away a user's last messages; a guest's message from before the restart has no
/// sender left to match, so only operators may redact it.
struct RecentMessages {
  struct Record: Equatable {
    var target: HistoryTarget
    /// The sender's connection's client (nil for a message loaded at start-up), and its folded
    /// account (if logged in).
    var sender: ClientID?
    var account: String?
  }

  /// Records held at most (see `PROTOCOL.md` § 7).
  static let capacity = IRCServerCore.redactableMessages

  private var records: [String: Record] = [:]
  private var order: [String] = []
  private var start = 0

  mutating func note(msgid: String, _ record: Record) {
    records[msgid] = record
    order.append(msgid)
    if order.count - start > Self.capacity {
      records[order[start]] = nil
      start += 1
      if start > Self.capacity {
        order.removeFirst(start)
        start = 0
      }
    }
  }

  func record(_ msgid: String) -> Record? { records[msgid] }

  mutating func forget(_ msgid: String) { records[msgid] = nil }
}
