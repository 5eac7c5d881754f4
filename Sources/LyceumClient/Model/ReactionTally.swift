/// The reactions to one message (`+draft/react` on a `TAGMSG` replying to it): each emoji with
/// who reacted with it, in the order first seen. One sender counts once per emoji, however many
/// times the reaction arrives (live, then again in a history page).
public struct ReactionTally: Equatable, Sendable {
  /// One emoji and the senders (account, or casefolded nick) who reacted with it.
  public struct Entry: Equatable, Sendable {
    public var emoji: String
    public var senders: [String]
  }

  /// The most distinct emoji kept per message, and senders counted per emoji: a flood of
  /// reactions from a hostile server stays small.
  static let maximumEmoji = 20
  static let maximumSenders = 1_000

  public private(set) var entries: [Entry] = []

  /// Whether there is nothing to show.
  public var isEmpty: Bool { entries.isEmpty }

  /// Counts `sender`'s `emoji`; returns whether it was new.
  mutating func add(_ emoji: String, from sender: String) -> Bool {
    if let index = entries.firstIndex(where: { $0.emoji == emoji }) {
      guard !entries[index].senders.contains(sender),
        entries[index].senders.count < Self.maximumSenders
      else { return false }
      entries[index].senders.append(sender)
      return true
    }
    guard entries.count < Self.maximumEmoji else { return false }
    entries.append(Entry(emoji: emoji, senders: [sender]))
    return true
  }

  /// Takes back `sender`'s `emoji` (its reaction was deleted).
  mutating func remove(_ emoji: String, from sender: String) {
    guard let index = entries.firstIndex(where: { $0.emoji == emoji }) else { return }
    entries[index].senders.removeAll { $0 == sender }
    if entries[index].senders.isEmpty { entries.remove(at: index) }
  }
}
