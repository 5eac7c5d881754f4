import LyceumProtocol

extension IRCServerCore {
  /// `QUIT [:reason]`: this connection gets `ERROR` and is closed; when it was the client's
  /// last one, peers see `QUIT :Quit: reason`.
  func handleQuit(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let reason = message.params.first.map {
      $0.prefixFitting(utf8Bytes: configuration.limits.kickLength)
    }
    disconnect(replies.session.id, reason: reason ?? "Client quit")
  }
}
