import LyceumProtocol

/// Announcements: in a room of kind `announcements` only channel operators, IRC operators and
/// bot accounts speak; messages there, and messages that mention `@here` or `@room` from a
/// channel operator anywhere, carry the tag `lyceum.chat/notify` so that clients can ring.
extension IRCServerCore {
  /// The server tag that marks a message worth a notification. Its value says why:
  /// `announcement` (a message in an announcements room) or `mention` (`@here`/`@room` from a
  /// channel operator). Seen by clients with `message-tags`; plain clients get the text as is.
  static let notifyTagKey = "lyceum.chat/notify"

  /// Why `client` may not post to `channel` because it is an announcements room; nil when it
  /// may (a channel operator, an IRC operator, a bot account, or any other kind of room).
  func announcementRefusal(_ client: Client, in channel: Channel) -> String? {
    guard channel.kind == .announcements else { return nil }
    if channel.members[client.id]?.isOperator == true || client.isOperator
      || client.account?.role == .bot
    {
      return nil
    }
    return "Cannot send to channel (announcements: only its operators and bots post here)"
  }

  /// `message` with the notify tag when it is an announcement or an operator's `@here`/`@room`
  /// (never for `TAGMSG`, which has no text to show).
  func markedForNotification(
    _ message: IRCMessage, from client: Client, in channel: Channel, kind: MessageKind
  ) -> IRCMessage {
    guard kind != .tagmsg, let text = message.params.last else { return message }
    let reason: String
    if channel.kind == .announcements {
      reason = "announcement"
    } else if channel.members[client.id]?.isOperator == true, Self.mentionsEveryone(text) {
      reason = "mention"
    } else {
      return message
    }
    var marked = message
    marked.tags.append(IRCTag(Self.notifyTagKey, reason))
    return marked
  }

  /// Whether `text` has the word `@here` or `@room` (any case, followed by nothing, a space
  /// or punctuation).
  static func mentionsEveryone(_ text: String) -> Bool {
    let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
    return words.contains { word in
      let trimmed = word.drop(while: { $0 == "(" }).prefix(while: { $0.isLetter || $0 == "@" })
      return trimmed == "@here" || trimmed == "@room"
    }
  }
}
