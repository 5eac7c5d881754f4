import LyceumProtocol

extension IRCServerCore {
  /// `REGISTER <account|*> <email|*> <password>` (IRCv3 draft/account-registration, with
  /// `before-connect` and `custom-account-name`). The account service checks and stores it;
  /// on success the connection is logged in (`REGISTER SUCCESS`, `900`).
  func handleRegister(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let session = replies.session
    let requested = message.params[0]
    let account = requested == "*" ? (client.nick ?? "*") : requested
    func fail(_ code: String, _ text: String) {
      replies.standardReply(
        .fail, command: "REGISTER", code: code, context: [account], description: text)
    }
    guard configuration.accountRegistrationOpen else {
      return fail("TEMPORARILY_UNAVAILABLE", "Accounts are created by the operators here")
    }
    guard client.account == nil else {
      return fail("ALREADY_AUTHENTICATED", "You are already logged in")
    }
    guard account != "*" else {
      return replies.standardReply(
        .fail, command: "REGISTER", code: "NEED_NICK", context: ["*"],
        description: "Choose a nick (or name the account) first")
    }
    if !session.isRegistered, let password = configuration.password,
      session.givenPassword.map({ !constantTimeEqual($0, password) }) ?? true
    {
      return fail("TEMPORARILY_UNAVAILABLE", "Send the server password with PASS first")
    }
    guard session.pendingAccountRequest == nil else {
      return fail("TEMPORARILY_UNAVAILABLE", "Another request is in progress; try again")
    }
    let email = message.params[1] == "*" ? nil : message.params[1]
    session.pendingAccountRequest = .register(account: account)
    outbox.events.append(
      .account(
        .register(
          connection: session.id.raw, ip: session.ip, account: account, email: email,
          password: message.params[2])))
  }

  /// `VERIFY <account> <code>`: Lyceum asks for no verification step, so there is never a
  /// code to check.
  func handleVerify(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let account = message.params[0]
    if client.account != nil {
      replies.standardReply(
        .fail, command: "VERIFY", code: "ALREADY_AUTHENTICATED", context: [account],
        description: "You are already logged in")
    } else {
      replies.standardReply(
        .fail, command: "VERIFY", code: "INVALID_CODE", context: [account],
        description:
          "No verification is pending: accounts here are ready as soon as they are registered")
    }
  }
}
