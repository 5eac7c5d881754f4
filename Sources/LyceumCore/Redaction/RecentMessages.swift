/// The most recently kept messages, by msgid: where each was kept and who sent it, so that
/// `REDACT` can be checked without a read of the history store.
///
/// Bounded: the oldest record is forgotten once `capacity` are held, and nothing survives a
/// restart; a message no longer here cannot be redacted (`FAIL REDACT UNKNOWN_MSGID`).
struct RecentMessages {
  struct Record: Equatable {
    var target: HistoryTarget
    /// The sender's connection's client, and its folded account (if logged in).
    var sender: ClientID
    var account: String?
  }

  /// Records held at most (see `PROTOCOL.md` § 7).
  static let capacity = 10_000

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
