import LyceumProtocol

extension IRCServerCore {
  /// `AWAY [:<message>]` (Modern IRC "AWAY message", IRCv3 `away-notify`).
  ///
  /// A non-empty message marks the client away (`306`), cut to `AWAYLEN` bytes; no message, or
  /// an empty one, marks it back (`305`). Channel peers with `away-notify` are told of each
  /// change with `:nick!user@host AWAY [:message]`.
  func handleAway(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let text = message.params.first ?? ""
    let notice: IRCMessage
    if text.isEmpty {
      let wasAway = client.awayMessage != nil
      client.awayMessage = nil
      replies.numeric(.unaway, "You are no longer marked as being away")
      guard wasAway else { return }
      notice = IRCMessage(
        tags: serverTags(msgid: false, from: client), source: client.prefix, command: "AWAY")
    } else {
      // Cut to AWAYLEN, then so that `:nick!user@host AWAY :text` fits 512 bytes.
      let away = IRCMessage(
        source: client.prefix, command: "AWAY",
        params: [text.prefixFitting(utf8Bytes: configuration.limits.awayLength)]
      ).cutToFit().params[0]
      let changed = client.awayMessage != away
      client.awayMessage = away
      replies.numeric(.nowAway, "You have been marked as being away")
      guard changed else { return }
      notice = IRCMessage(
        tags: serverTags(msgid: false, from: client), source: client.prefix, command: "AWAY",
        params: [away])
    }
    broadcastToPeers(of: client, notice, requiring: .awayNotify)
    publish(.away(networkRef(client), line: NetworkLine(notice)))
    notifyExtendedMonitors(of: client, notice, requiring: .awayNotify)
  }
}
