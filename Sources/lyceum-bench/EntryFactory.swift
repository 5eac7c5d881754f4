import LyceumCore
import LyceumProtocol

/// SplitMix64: a small, fast, seedable generator, so that runs with the same seed fill the same
/// data and ask the same questions.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Realistic history entries: chat lines of about 80 bytes from a pool of users, a few joins
/// and parts, msgids from `MessageIDGenerator`.
struct EntryFactory {
  private static let words: [String] = [
    "the", "a", "proof", "lemma", "we", "should", "check", "whether", "this", "holds", "for",
    "every", "case", "seminar", "tomorrow", "at", "ten", "slides", "are", "in", "shared",
    "folder", "I", "think", "you", "missed", "an", "index", "bound", "on", "page", "three",
    "compile", "again", "with", "optimisations", "lunch", "anyone", "deadline", "moved",
    "reviewer", "two", "wants", "more", "experiments", "the", "dataset", "is", "ready", "ok",
    "thanks", "great", "idea", "let's", "meet", "after", "lecture", "library", "closes", "late",
  ]

  private var random: SplitMix64
  private var ids = MessageIDGenerator()
  private let users: [(source: String, account: String?)]

  init(seed: UInt64, users count: Int = 200) {
    random = SplitMix64(seed: seed)
    users = (0..<count).map { index in
      let nick = "user\(index)"
      return ("\(nick)!~\(nick)@host-\(index % 50).campus.example", index % 2 == 0 ? nick : nil)
    }
  }

  /// About 80 bytes of words.
  mutating func text(bytes: Int = 80) -> String {
    var text = ""
    while text.utf8.count < bytes - 6 {
      if !text.isEmpty { text += " " }
      text += Self.words[Int.random(in: 0..<Self.words.count, using: &random)]
    }
    return text
  }

  /// A msgid for an entry at `time` (ms); increasing as long as the times do.
  mutating func msgid(at time: Int64) -> String {
    ids.next(wallClockMilliseconds: time)
  }

  /// A channel `PRIVMSG` of about 80 bytes from a random user.
  mutating func message(to target: HistoryTarget, at time: Int64) -> HistoryEntry {
    let user = users[Int.random(in: 0..<users.count, using: &random)]
    let recipient: String =
      switch target {
      case .channel(let name): name
      case .direct(_, let second): second
      }
    return HistoryEntry(
      msgid: msgid(at: time), timeMilliseconds: time, target: target, command: "PRIVMSG",
      source: user.source, account: user.account, params: [recipient, text()])
  }

  /// A `JOIN` or `PART` of a channel by a random user (an event).
  mutating func membership(of channel: String, at time: Int64) -> HistoryEntry {
    let user = users[Int.random(in: 0..<users.count, using: &random)]
    let join = Bool.random(using: &random)
    return HistoryEntry(
      msgid: msgid(at: time), timeMilliseconds: time, target: .channel(channel),
      command: join ? "JOIN" : "PART", source: user.source, account: user.account,
      params: join ? [channel] : [channel, "see you"])
  }

  /// The next entry of `channel`: a message, or with probability `eventShare` a join or part.
  mutating func channelEntry(_ channel: String, at time: Int64, eventShare: Double)
    -> HistoryEntry
  {
    Double.random(in: 0..<1, using: &random) < eventShare
      ? membership(of: channel, at: time) : message(to: .channel(channel), at: time)
  }

  mutating func int(in range: Range<Int>) -> Int {
    Int.random(in: range, using: &random)
  }

  mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
    Int64.random(in: range, using: &random)
  }
}
