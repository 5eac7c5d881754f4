import LyceumProtocol

extension IRCServerCore {
  /// `PING <token>`: answered with `PONG <server> <token>`. (A client's `PONG` to the server's
  /// own `PING` needs no handler: any input resets the idle timer.)
  func handlePing(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard let token = message.params.first else {
      replies.numeric(.errNoOrigin, "No origin specified")
      return
    }
    replies.fromServer("PONG", configuration.serverName, token)
  }
}
