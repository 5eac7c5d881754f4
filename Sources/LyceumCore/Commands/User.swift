import LyceumProtocol

extension IRCServerCore {
  /// `USER <username> <mode> <unused> :<realname>`: the rest of the identity, before
  /// registration only. The username is truncated to `USERLEN`; a `~` is not added since
  /// Lyceum does no ident lookups.
  func handleUser(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard !client.isRegistered else {
      replies.numeric(.errAlreadyRegistered, "You may not reregister")
      return
    }
    let limits = configuration.limits
    let username = String(
      message.params[0].unicodeScalars.filter(Self.isUsernameScalar).prefix(limits.userLength))
    guard !username.isEmpty, !message.params[3].isEmpty || !message.params[0].isEmpty else {
      replies.needMoreParams("USER")
      return
    }
    client.user = username
    client.realname = message.params[3].prefixFitting(utf8Bytes: limits.realnameLength)
    completeRegistrationIfReady(client, &replies)
  }

  /// Characters kept in a username: printable ASCII except those with meaning in a prefix.
  private static func isUsernameScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value > 0x20 && scalar.value < 0x7F && scalar != "@" && scalar != "!"
  }
}
