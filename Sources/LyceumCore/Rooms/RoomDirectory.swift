import LyceumProtocol

/// How a room presents itself in the directory (`LIST`) and on join: its kind, description,
/// who it is open to, and its topic, in one line that a plain client shows as the topic.
extension IRCServerCore {
  /// The `322` topic field: `[kind] description (open to: A*, B*) — topic`, each part only when
  /// set; just the topic for an ordinary channel, so existing clients see what they always did.
  func directoryText(of channel: Channel) -> String {
    let topic = channel.topic?.text ?? ""
    guard let about = roomAbout(channel) else { return topic }
    return topic.isEmpty ? about : about + " — " + topic
  }

  /// `[kind] description (open to: A*, B*)`, each part only when set; nil when none is.
  func roomAbout(_ channel: Channel) -> String? {
    var parts: [String] = []
    if let kind = channel.kind { parts.append("[\(kind.rawValue)]") }
    if let description = channel.roomDescription { parts.append(description) }
    let institutions = openToInstitutions(of: channel)
    if !institutions.isEmpty {
      parts.append("(open to: \(institutions.joined(separator: ", ")))")
    }
    return parts.isEmpty ? nil : parts.joined(separator: " ")
  }

  /// The institution patterns of an invite-only channel's `+I $i:<glob>` entries, in the order
  /// set; empty when the channel is not `+i` or names no institution.
  func openToInstitutions(of channel: Channel) -> [String] {
    guard channel.modes.inviteOnly else { return [] }
    return channel.inviteExceptions.compactMap { entry in
      guard let extban = ExtendedBan(entry.mask), extban.kind == .institution else { return nil }
      return extban.pattern
    }
  }

  /// After a join's topic: `NOTICE <#room> :[kind] description (open to: …)` when the room
  /// has any of these, so that every client shows what the room is for right under its
  /// topic. Nothing for an ordinary channel.
  func sendRoomAbout(_ channel: Channel, _ replies: inout Replies) {
    guard let about = roomAbout(channel) else { return }
    replies.send(
      IRCMessage(
        source: configuration.serverName, command: "NOTICE", params: [channel.name, about]))
  }
}
