import LyceumProtocol

/// One conversation the client shows: the server buffer, a room, a direct conversation, or a
/// thread inside a room. Holds its lines (oldest first, no msgid twice), its read marker and the
/// unread counts that follow from it, its members and topic, and its history paging state.
public struct ChatBuffer: Equatable, Sendable {
  /// What the buffer is a view of.
  public enum Kind: Equatable, Sendable {
    case server
    case channel
    case direct
    /// One research thread of `target`, rooted at the message with msgid `root`.
    case thread(root: String)
    /// The results of the last `/search`.
    case search
  }

  /// The most lines a buffer keeps in memory; the oldest go first (history can fetch them
  /// again), so a room that talks for weeks does not grow the client without bound.
  public static let maximumLines = 20_000

  /// The target as the server names it (`#lab`, `ada`); `*` for the server buffer. For a thread,
  /// the room or nick it belongs to.
  public let name: String
  public let kind: Kind
  public private(set) var lines: [BufferLine] = []
  private var msgids: Set<String> = []
  public var topic: String?
  /// A registered room's kind and description (sent while joining it).
  public var roomDescription: RoomDescription?
  /// Between our `JOIN` and the end of the names list: the server's notices are the room's.
  public var isReceivingJoinBurst = false
  /// Members by casefolded nick: the nick as shown, with its highest prefix (`@`, `+`).
  public var members: [String: Member] = [:]
  /// Whether we are in it (channels); direct and server buffers are always "in".
  public var isJoined = false
  /// The read marker (milliseconds), nil when the server has none.
  public private(set) var readMarker: Int64?
  public private(set) var unreadCount = 0
  public private(set) var highlightCount = 0
  public var history = HistoryPaging()
  /// Threads of this room by root msgid (reply counts for the collapsed room view).
  public var threads: [String: ThreadSummary] = [:]
  /// Reactions by the msgid of the message they react to.
  public internal(set) var reactions: [String: ReactionTally] = [:]
  /// The reactions counted, by their own msgid (see `addReaction`).
  var reactionOrigins: [String: ReactionOrigin] = [:]
  /// Nicks that spoke here, most recent first (tab completion offers them first).
  public private(set) var recentSpeakers: [String] = []

  /// A member of a channel as the nick list shows it.
  public struct Member: Equatable, Sendable {
    public var nick: String
    /// The prefixes (`@+`), highest first.
    public var prefixes: String
  }

  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
    isJoined = kind != .channel
  }

  /// Whether `line` is a kept message whose msgid pages history (`CHATHISTORY BEFORE/AFTER`).
  /// Events (joins, modes …) have msgids too, but history pages do not show them here, so
  /// paging goes from the messages the buffer holds.
  static func isReplayable(_ line: BufferLine) -> Bool {
    line.msgid != nil && (line.kind == .message || line.kind == .notice || line.kind == .action)
  }

  /// The newest kept message: where a gap fill after a reconnect starts.
  public var newestReplayable: BufferLine? { lines.last(where: Self.isReplayable) }
  /// The msgid of the newest kept message.
  public var newestMsgid: String? { newestReplayable?.msgid }
  /// The msgid of the oldest kept message: where paging further back starts.
  public var oldestMsgid: String? { lines.first(where: Self.isReplayable)?.msgid }
  /// Time of the newest line with a msgid (for `MARKREAD` when the user has read everything).
  public var newestTime: Int64? { lines.last(where: { $0.msgid != nil })?.time }

  /// Whether a line with this msgid is already here.
  public func contains(msgid: String) -> Bool { msgids.contains(msgid) }

  /// The line with this msgid, if it is here.
  public func line(msgid: String) -> BufferLine? {
    guard msgids.contains(msgid) else { return nil }
    return lines.last { $0.msgid == msgid }
  }

  /// Adds a line in time order; a msgid seen before is dropped (history pages and live lines
  /// overlap after a reconnect). Returns whether it was added.
  @discardableResult
  public mutating func insert(_ line: BufferLine) -> Bool {
    if let id = line.msgid {
      guard msgids.insert(id).inserted else { return false }
    }
    // Nearly every line is the newest; history pages land at the front in one search.
    if let last = lines.last, last.time > line.time {
      var low = 0
      var high = lines.count
      while low < high {
        let middle = (low + high) / 2
        if lines[middle].time <= line.time { low = middle + 1 } else { high = middle }
      }
      lines.insert(line, at: low)
    } else {
      lines.append(line)
    }
    if isUnread(line) {
      unreadCount += 1
      if line.isHighlight { highlightCount += 1 }
    }
    if line.countsAsUnread, !line.sender.isEmpty { noteSpeaker(line.sender) }
    if lines.count > Self.maximumLines { dropOldest(lines.count - Self.maximumLines) }
    return true
  }

  /// Changes the line at `index` in place (its msgid and time stay as they are).
  mutating func replaceLine(at index: Int, _ change: (inout BufferLine) -> Void) {
    change(&lines[index])
  }

  /// Moves the read marker (only forward) and recounts what is unread after it.
  public mutating func setReadMarker(_ time: Int64?) {
    if let current = readMarker, let time, time <= current { return }
    readMarker = time
    recount()
  }

  /// Removes every line (on `/clear`); the history can be fetched again.
  public mutating func clearLines() {
    lines.removeAll()
    msgids.removeAll()
    reactions.removeAll()
    reactionOrigins.removeAll()
    history = HistoryPaging()
    recount()
  }

  private func isUnread(_ line: BufferLine) -> Bool {
    guard line.countsAsUnread else { return false }
    guard let marker = readMarker else { return true }
    return line.time > marker
  }

  private mutating func recount() {
    unreadCount = 0
    highlightCount = 0
    for line in lines.reversed() {
      if let marker = readMarker, line.time <= marker { break }
      if isUnread(line) {
        unreadCount += 1
        if line.isHighlight { highlightCount += 1 }
      }
    }
  }

  private mutating func noteSpeaker(_ nick: String) {
    if recentSpeakers.first == nick { return }
    recentSpeakers.removeAll { $0 == nick }
    recentSpeakers.insert(nick, at: 0)
    if recentSpeakers.count > 50 { recentSpeakers.removeLast() }
  }

  private mutating func dropOldest(_ count: Int) {
    for line in lines.prefix(count) {
      if let id = line.msgid {
        msgids.remove(id)
        reactions[id] = nil
      }
    }
    lines.removeFirst(count)
    history.reachedStart = false
    // Paging back starts again from the oldest line kept, fetching the dropped ones anew.
    history.oldestEntry = nil
  }
}
