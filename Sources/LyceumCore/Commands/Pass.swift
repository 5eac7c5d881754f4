import LyceumProtocol

extension IRCServerCore {
  /// `PASS <password>`: the server password, checked when registration completes.
  func handlePass(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard !client.isRegistered else {
      replies.numeric(.errAlreadyRegistered, "You may not reregister")
      return
    }
    client.givenPassword = message.params[0]
  }
}
