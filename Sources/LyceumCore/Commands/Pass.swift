import LyceumProtocol

extension IRCServerCore {
  /// `PASS <password>`: the server password, checked when registration completes.
  func handlePass(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard !replies.session.isRegistered else {
      replies.numeric(.errAlreadyRegistered, "You may not reregister")
      return
    }
    replies.session.givenPassword = message.params[0]
  }
}
