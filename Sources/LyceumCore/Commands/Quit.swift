import LyceumProtocol

extension IRCServerCore {
  /// `QUIT [:reason]`: peers see `QUIT :Quit: reason`; the client gets `ERROR` and is closed.
  func handleQuit(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let reason = message.params.first.map {
      $0.prefixFittingUTF8(bytes: configuration.limits.kickLength)
    }
    disconnect(client.id, reason: reason ?? "Client quit")
  }
}
