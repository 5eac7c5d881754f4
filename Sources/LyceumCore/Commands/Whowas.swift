import LyceumProtocol

extension IRCServerCore {
  /// `WHOWAS <nick> [<count>]` (Modern IRC "WHOWAS message").
  ///
  /// Each remembered user of the nick, newest first and at most `count` when it is a positive
  /// number, as `314` followed by `312` (this server and when the nick was given up); an unknown
  /// nick gets `406`. Both end with `369`.
  func handleWhowas(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let nick = message.params[0]
    guard !nick.isEmpty else {
      replies.numeric(.errNoNicknameGiven, "No nickname given")
      return
    }
    let limit =
      message.params.count > 1 ? Int(message.params[1]).flatMap { $0 > 0 ? $0 : nil } : nil
    let entries = whowas.entries(forFolded: fold(nick), limit: limit)
    if entries.isEmpty {
      replies.numeric(.errWasNoSuchNick, nick, "There was no such nickname")
    }
    for entry in entries {
      replies.numeric(.whowasUser, entry.nick, entry.user, entry.host, "*", entry.realname)
      replies.numeric(
        .whoisServer, entry.nick, configuration.serverName,
        ServerTime.humanReadable(milliseconds: entry.atMilliseconds))
    }
    replies.numeric(.endOfWhowas, nick, "End of WHOWAS")
  }
}
