import LyceumProtocol

extension IRCServerCore {
  /// `USER <username> <mode> <unused> :<realname>`: the rest of the identity, before
  /// registration only. The username keeps only printable ASCII other than `@` and `!`, cut
  /// to `USERLEN`; when nothing is left (`USER ñ * * :x`) it is `user`, so that registration
  /// goes on instead of stranding the client. A `~` is not added since Lyceum does no ident
  /// lookups. The realname follows `SETNAME`'s rule: an empty one is missing (`461`, from the
  /// command table), and it is cut to `limits.realname-length` (SETNAME refuses a longer one
  /// instead, as its spec asks; a registration refused for it would strand most clients).
  func handleUser(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard !client.isRegistered else {
      replies.numeric(.errAlreadyRegistered, "You may not reregister")
      return
    }
    let limits = configuration.limits
    let username = String(
      message.params[0].unicodeScalars.filter(Self.isUsernameScalar).prefix(limits.userLength))
    client.user = username.isEmpty ? Self.fallbackUsername : username
    client.realname = message.params[3].prefixFitting(utf8Bytes: limits.realnameLength)
    completeRegistrationIfReady(client, &replies)
  }

  /// The username of a client whose own had no usable character.
  static let fallbackUsername = "user"

  /// Characters kept in a username: printable ASCII except those with meaning in a prefix.
  private static func isUsernameScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value > 0x20 && scalar.value < 0x7F && scalar != "@" && scalar != "!"
  }
}
