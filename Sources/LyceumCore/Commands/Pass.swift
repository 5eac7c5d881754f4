import LyceumProtocol

extension IRCServerCore {
  /// `PASS <password>` before registration.
  ///
  /// When the server has a password, this is it (checked when registration completes).
  /// Otherwise `PASS <account>:<secret>` logs in to an account with its password or one of its
  /// API tokens, for netcat users and simple bots; registration waits for the answer, and a
  /// wrong secret ends the connection with `464`.
  func handlePass(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let session = replies.session
    guard !session.isRegistered else {
      replies.numeric(.errAlreadyRegistered, "You may not reregister")
      return
    }
    let given = message.params[0]
    guard configuration.password == nil, let colon = given.firstIndex(of: ":"),
      client.account == nil, session.pendingAccountRequest == nil
    else {
      session.givenPassword = given
      return
    }
    session.pendingAccountRequest = .passwordLogin
    outbox.events.append(
      .account(
        .passwordLogin(
          connection: session.id.raw, ip: session.ip, account: String(given[..<colon]),
          secret: String(given[given.index(after: colon)...]))))
  }
}
