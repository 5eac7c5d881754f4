import LyceumProtocol

extension IRCServerCore {
  /// `ACCOUNTS CREATE <name> <role> <password> [:<institution>]`,
  /// `ACCOUNTS SET <name> <role|institution|display-name|email|password> :<value>`,
  /// `ACCOUNTS DELETE <name>`: operators manage accounts in-band, as `lyceumd account` does on
  /// the command line. Answers are `NOTE ACCOUNTS …` or `FAIL ACCOUNTS <code> …`.
  func handleAccounts(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    let request: AdminRequest? =
      switch params[0].uppercased() {
      case "CREATE" where params.count >= 4:
        .createAccount(
          name: params[1], role: params[2], password: params[3],
          institution: params.count > 4 ? params[4] : nil)
      case "SET" where params.count >= 4:
        .setAccount(name: params[1], field: params[2].lowercased(), value: params[3])
      case "DELETE" where params.count >= 2:
        .deleteAccount(name: params[1])
      default:
        nil
      }
    guard let request else {
      replies.standardReply(
        .fail, command: "ACCOUNTS", code: "INVALID_PARAMS",
        description: "Usage: ACCOUNTS CREATE <name> <role> <password> [:<institution>] | "
          + "ACCOUNTS SET <name> <field> :<value> | ACCOUNTS DELETE <name>")
      return
    }
    sendAdmin(request, command: "ACCOUNTS", &replies)
  }

  /// `TOKEN CREATE|LIST|REVOKE <account> [<name>]`: API tokens for bots. Operators manage any
  /// account's tokens; anyone logged in manages their own account's. `TOKEN CREATE` answers
  /// `NOTE TOKEN CREATED <account> <name> :<secret>`, the only time the secret is shown.
  func handleToken(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    let account = params[1]
    guard client.isOperator || client.account?.foldedName == fold(account) else {
      replies.standardReply(
        .fail, command: "TOKEN", code: "NO_PERMISSION", context: [account],
        description: "Only operators and the account's owner manage its tokens")
      return
    }
    let request: AdminRequest? =
      switch params[0].uppercased() {
      case "CREATE" where params.count >= 3: .createToken(account: account, name: params[2])
      case "REVOKE" where params.count >= 3: .revokeToken(account: account, name: params[2])
      case "LIST": .listTokens(account: account)
      default: nil
      }
    guard let request else {
      replies.standardReply(
        .fail, command: "TOKEN", code: "INVALID_PARAMS",
        description: "Usage: TOKEN CREATE <account> <name> | TOKEN LIST <account> | "
          + "TOKEN REVOKE <account> <name>")
      return
    }
    sendAdmin(request, command: "TOKEN", &replies)
  }

  private func sendAdmin(_ request: AdminRequest, command: String, _ replies: inout Replies) {
    let session = replies.session
    guard session.pendingAccountRequest == nil else {
      replies.standardReply(
        .fail, command: command, code: "TEMPORARILY_UNAVAILABLE",
        description: "Another request is in progress; try again")
      return
    }
    session.pendingAccountRequest = .admin(command: command)
    outbox.events.append(.account(.admin(connection: session.id.raw, request)))
  }

  /// Applies an administration answer: `NOTE` lines, the account directory kept current, and
  /// the sessions of a deleted account, or that logged in with a revoked credential, ended at
  /// once (after the requester got its `NOTE`s, in case it is one of them).
  func applyAdmin(
    _ response: AccountResponse, command: String, _ session: Session, _ replies: inout Replies
  ) {
    session.pendingAccountRequest = nil
    switch response {
    case .adminSucceeded(let outcome):
      if let updated = outcome.updated {
        accountUpdated(updated)
        publish(.account(updated))
      }
      if let deleted = outcome.deleted {
        accounts[deleted] = nil
        publish(.accountDeleted(folded: deleted))
      }
      for note in outcome.notes where note.count >= 2 {
        replies.standardReply(
          .note, command: command, code: note[0], context: Array(note.dropFirst().dropLast()),
          description: note[note.count - 1])
      }
      finishEarly(&replies)
      if let updated = outcome.updated, let credentials = outcome.credentials {
        endRevokedSessions(
          ofAccount: updated.foldedName, accepting: credentials, requestedBy: session)
      }
      if let deleted = outcome.deleted {
        endRevokedSessions(ofAccount: deleted, accepting: nil, requestedBy: session)
      }
    case .adminFailed(let code, let description):
      replies.standardReply(.fail, command: command, code: code, description: description)
    default:
      replies.standardReply(
        .fail, command: command, code: "TEMPORARILY_UNAVAILABLE", description: "Try again later")
    }
  }
}
