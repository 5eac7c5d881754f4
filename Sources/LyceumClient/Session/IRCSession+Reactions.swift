import LyceumProtocol

/// Reactions: a `TAGMSG` with `+draft/react=<emoji>` and `+draft/reply=<msgid>` (live, or
/// replayed in history with `draft/event-playback`) is counted under the message it replies
/// to; the screen shows the counts after that message (`👍 2`). `/react` sends one.
extension IRCSession {
  /// The most characters of a reaction kept (an emoji, perhaps with modifiers, or a short word).
  static let maximumReactionLength = 16

  /// A `TAGMSG`: counted when it is a reaction; other tags (typing …) are not shown.
  mutating func handleTagMessage(_ message: IRCMessage, now: Int64) {
    guard let value = message.tag("+draft/react") ?? nil,
      let parent = (message.tag("+draft/reply") ?? message.tag("+reply")) ?? nil,
      let emoji = Self.reactionText(value), let target = conversationTarget(of: message)
    else { return }
    let account = message.tag("account") ?? nil
    let sender = account ?? Self.caseMapping.fold(sourceNick(message))
    let msgid = message.tag("msgid") ?? nil
    buffers.update(BufferKey(target: target)) {
      $0.addReaction(emoji, from: sender, to: parent, msgid: msgid)
    }
  }

  /// A reaction's value as shown: without spaces or control characters, at most a few
  /// characters; nil when nothing is left.
  static func reactionText(_ value: String) -> String? {
    let kept = value.filter { character in
      !character.unicodeScalars.contains {
        $0.properties.generalCategory == .control || $0 == " "
      }
    }.prefix(maximumReactionLength)
    return kept.isEmpty ? nil : String(kept)
  }

  /// `/react [N|msgid] emoji`: reacts to a message of the buffer on screen, the newest one
  /// without a number.
  mutating func reactCommand(_ words: [String], now: Int64) -> [SessionEvent]? {
    let active = buffers.active
    guard !words.isEmpty, words.count <= 2, active.kind != .server, active.kind != .search
    else { return nil }
    guard enabledCapabilities.contains("message-tags") else {
      status(
        "This server does not relay reactions (no message-tags)", now: now, kind: .error,
        in: buffers.activeKey)
      return []
    }
    let reference = words.count == 2 ? words[0] : "1"
    guard let emoji = Self.reactionText(words.last!) else { return nil }
    guard let parent = messageReference(reference, in: active) else {
      status("No message \(reference) here", now: now, kind: .error, in: buffers.activeKey)
      return []
    }
    let target = active.kind == .direct ? deliveryTarget(for: active.name) : active.name
    if !enabledCapabilities.contains("echo-message") {
      let me = account ?? Self.caseMapping.fold(nick)
      buffers.update(BufferKey(target: active.name)) {
        $0.addReaction(emoji, from: me, to: parent, msgid: nil)
      }
    }
    let tags = "+draft/react=\(TagEscaping.escape(emoji));+draft/reply=\(parent)"
    return [.send("@\(tags) TAGMSG \(target)")]
  }
}
