import LyceumProtocol

extension IRCServerCore {
  /// `OPER <name> <password>` (Modern IRC "OPER message").
  ///
  /// Success gives `381` and `:server MODE <nick> +o`. A wrong name or password gives `464`;
  /// the right credentials from a `nick!user@host` outside the operator's host mask give `491`.
  /// The password is checked first and in constant time, so neither answer reveals which
  /// operator names exist to someone without a password.
  func handleOper(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    let password = message.params[1]
    guard let credential = configuration.operators.first(where: { $0.name == name }),
      constantTimeEqual(credential.password, password)
    else {
      replies.numeric(.errPasswdMismatch, "Password incorrect")
      return
    }
    guard IRCMask(credential.hostMask, caseMapping: caseMapping).matches(client.prefix) else {
      replies.numeric(.errNoOperHost, "No O-lines for your host")
      return
    }
    let wasOperator = client.isOperator
    client.isOperator = true
    replies.numeric(.youreOper, "You are now an IRC operator")
    if !wasOperator {
      let change = IRCMessage(
        source: configuration.serverName, command: "MODE", params: [client.displayNick, "+o"])
      replies.send(change)
      deliver(change, to: client, except: replies.session)
    }
  }
}

/// Compares two secrets in time that depends only on their lengths, not on where they differ.
func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
  let a = Array(lhs.utf8)
  let b = Array(rhs.utf8)
  var difference: UInt8 = a.count == b.count ? 0 : 1
  for index in 0..<Swift.max(a.count, b.count) {
    let x = index < a.count ? a[index] : 0
    let y = index < b.count ? b[index] : 0
    difference |= x ^ y
  }
  return difference == 0
}
