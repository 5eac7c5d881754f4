import LyceumProtocol

/// Who a channel's lists keep out or silence: `+b` bans (and `$m:` mute bans), lifted by `+e`
/// ban exceptions; `+I` invite exceptions; `+C` for CTCP.
extension IRCServerCore {
  /// Whether `client` matches `mask`: a `nick!user@host` glob, or an extended mask (`$a`,
  /// `$i:`, and for `$m:` the mask it mutes).
  func matches(_ client: Client, mask: String) -> Bool {
    if let extban = ExtendedBan(mask) {
      if let muted = extban.mutedMask { return matches(client, mask: muted) }
      return extban.matches(client, caseMapping)
    }
    return IRCMask(mask, caseMapping: caseMapping).matches(client.prefix)
  }

  /// Whether `client` matches any entry of a list.
  func matchesAny(_ client: Client, _ entries: [ListEntry]) -> Bool {
    entries.contains { matches(client, mask: $0.mask) }
  }

  /// Whether a ban keeps `client` out of `channel`: a `+b` entry other than a mute ban
  /// matches, and no `+e` entry does.
  func isBanned(_ client: Client, from channel: Channel) -> Bool {
    channel.bans.contains { ExtendedBan($0.mask)?.kind != .mute && matches(client, mask: $0.mask) }
      && !matchesAny(client, channel.banExceptions)
  }

  /// Whether a ban or a mute ban keeps `client` from speaking in `channel` (no `+e` lifts it).
  func isSilenced(_ client: Client, in channel: Channel) -> Bool {
    matchesAny(client, channel.bans) && !matchesAny(client, channel.banExceptions)
  }

  /// Whether a PRIVMSG or NOTICE is a CTCP other than `ACTION` (what `+C` refuses).
  static func isCTCPOtherThanAction(_ message: IRCMessage) -> Bool {
    guard message.command != "TAGMSG", let text = message.params.last,
      text.hasPrefix("\u{1}")
    else { return false }
    let body = text.dropFirst()
    return !(body.hasPrefix("ACTION ") || body.hasPrefix("ACTION\u{1}") || body == "ACTION")
  }
}
