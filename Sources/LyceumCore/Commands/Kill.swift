import LyceumProtocol

extension IRCServerCore {
  /// `KILL <nick> :<reason>` (Modern IRC "KILL message"); operators only, checked by the table.
  ///
  /// The target is disconnected with `Killed (<oper nick> (<reason>))`, which it sees in its
  /// `ERROR` line and its peers in its `QUIT`. An unknown nick gets `401`.
  func handleKill(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let nick = message.params[0]
    guard let target = self.client(named: nick), target.isRegistered else {
      replies.numeric(.errNoSuchNick, nick, "No such nick/channel")
      return
    }
    let reason = message.params[1]
    if let home = target.home {
      publish(.kill(target: home, reason: "Killed (\(client.displayNick) (\(reason)))"))
      return
    }
    for session in target.sessions {
      disconnect(session.id, reason: "Killed (\(client.displayNick) (\(reason)))")
    }
  }
}
