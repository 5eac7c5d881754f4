import LyceumProtocol

/// The nicks that were recently in use, for `WHOWAS`: a bounded ring of entries, oldest
/// overwritten first, so memory stays fixed however many clients come and go.
///
/// The core records a client when it quits (and, through NICK, when it changes nick). Lookups scan
/// newest to oldest, which is cheap at the configured size (`whowasEntries`, 1000 by default).
struct WhowasHistory {
  /// One former user of a nick.
  struct Entry: Equatable {
    var nick: String
    var foldedNick: String
    var user: String
    var host: String
    var realname: String
    /// Wall-clock milliseconds when the nick was given up.
    var atMilliseconds: Int64
  }

  /// Entries kept; lowering it drops the oldest ones, zero keeps nothing.
  var capacity: Int {
    didSet { resize() }
  }
  /// Ring storage: `storage[next]` is the oldest entry once the ring is full; until then
  /// entries are appended and `next` stays 0.
  private var storage: [Entry] = []
  private var next = 0

  init(capacity: Int) {
    self.capacity = Swift.max(capacity, 0)
  }

  var count: Int { storage.count }

  /// Remembers `client` under its current nick; a client without a nick is not recorded.
  mutating func record(_ client: Client, atMilliseconds: Int64, caseMapping: CaseMapping) {
    guard capacity > 0, let nick = client.nick else { return }
    let entry = Entry(
      nick: nick, foldedNick: caseMapping.fold(nick), user: client.user ?? "*", host: client.host,
      realname: client.realname, atMilliseconds: atMilliseconds)
    if storage.count < capacity {
      storage.append(entry)
    } else {
      storage[next] = entry
      next = (next + 1) % capacity
    }
  }

  /// Entries for the folded nick, newest first, at most `limit` of them (all when nil).
  func entries(forFolded foldedNick: String, limit: Int? = nil) -> [Entry] {
    var found: [Entry] = []
    let total = storage.count
    for offset in 0..<total {
      // The newest entry is just before `next` (`next` stays 0 until the ring is full).
      let index = (next - 1 - offset + 2 * total) % total
      let entry = storage[index]
      guard entry.foldedNick == foldedNick else { continue }
      found.append(entry)
      if let limit, found.count >= limit { break }
    }
    return found
  }

  /// Re-lays the ring oldest-first within the new capacity.
  private mutating func resize() {
    let ordered = Array(storage[next...] + storage[..<next])
    storage = Array(ordered.suffix(Swift.max(capacity, 0)))
    next = 0
  }
}
