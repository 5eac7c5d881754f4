/// What happens to a buffer's messages after they arrive: deletion (`REDACT`) and reactions.
extension ChatBuffer {
  /// The text a deleted message shows instead of its own.
  public static let deletedText = "(message deleted)"
  /// The most reactions remembered by msgid (to drop repeats and to take back deleted ones).
  static let maximumReactionOrigins = 4 * maximumLines

  /// Marks the message `msgid` deleted (its text replaced, sender and time kept), or takes
  /// back the reaction that had that msgid. Returns whether anything changed.
  @discardableResult
  public mutating func redact(msgid: String) -> Bool {
    if let origin = reactionOrigins.removeValue(forKey: msgid) {
      reactions[origin.parent]?.remove(origin.emoji, from: origin.sender)
      if reactions[origin.parent]?.isEmpty == true { reactions[origin.parent] = nil }
      return true
    }
    guard contains(msgid: msgid), let index = lines.lastIndex(where: { $0.msgid == msgid })
    else { return false }
    replaceLine(at: index) {
      $0.text = Self.deletedText
      $0.isRedacted = true
    }
    return true
  }

  /// Counts a reaction to the message `parent`. A reaction whose msgid was seen before (a
  /// history page overlapping live traffic) is not counted twice, nor a sender's repeat.
  @discardableResult
  public mutating func addReaction(
    _ emoji: String, from sender: String, to parent: String, msgid: String?
  ) -> Bool {
    if let msgid {
      guard reactionOrigins[msgid] == nil, reactionOrigins.count < Self.maximumReactionOrigins
      else { return false }
    }
    guard reactions[parent] != nil || reactions.count < Self.maximumLines else { return false }
    var tally = reactions[parent] ?? ReactionTally()
    guard tally.add(emoji, from: sender) else { return false }
    reactions[parent] = tally
    if let msgid {
      reactionOrigins[msgid] = ReactionOrigin(parent: parent, emoji: emoji, sender: sender)
    }
    return true
  }
}

/// Which message a reaction (by its own msgid) was counted under, and as what.
struct ReactionOrigin: Equatable, Sendable {
  var parent: String
  var emoji: String
  var sender: String
}
