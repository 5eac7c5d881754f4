import LyceumProtocol

/// Sessions for the bots' loopback listener (`bots-listener:` in the server's configuration),
/// where a script posts one line per message with an API token and gets `OK <msgid>` or
/// `ERROR <reason>` back.
///
/// The posting identity is an ordinary session of the core, opened for the listener's
/// connection once its first token is accepted and logged in to that token's account. It
/// registers as a `PASS account:token` login would: it joins the account's client when that is
/// online (its other sessions then see the post as their own), and otherwise brings a client
/// online under the account's name, which is reserved for it. Each line then runs as a
/// labelled `PRIVMSG` through `receive`, the path of every IRC connection, so a post meets the
/// same checks (`+n`, `+m`, bans, announcement rooms, where bot accounts may speak), the same
/// flood control and the same keep-before-deliver as one from an IRC client, and nothing here
/// duplicates them. The session asks for `echo-message` and `labeled-response`, so each post is
/// answered by its labelled echo (which carries the msgid, and is released only once the
/// message is kept) or by its labelled error; the server turns that answer into the line the
/// script reads. It also has `draft/chathistory` and `draft/read-marker`, so it is shown no
/// catch-up and moves no read marker: it only posts.
extension IRCServerCore {
  /// The capabilities of a listener session (see above).
  static let listenerCapabilities: CapabilitySet = [
    .echoMessage, .labeledResponse, .batch, .messageTags, .serverTime, .standardReplies,
    .chathistory, .readMarker,
  ]

  /// Opens the listener session `id`, logged in to `account` (whose token the account service
  /// just accepted), unless it is open already. Returns why the connection cannot post: a line
  /// with another account's token (one account per connection), or a registration the core
  /// refused (the account's name taken as a nick by someone else); nil when it may post.
  public func openListenerSession(
    _ id: ClientID, ip: String, account: AccountSummary, via credential: LoginCredential
  ) -> String? {
    if let session = sessions[id] {
      guard session.client.account?.foldedName == account.foldedName else {
        return
          "one account per connection: this one posts as \(session.client.account?.name ?? "?")"
      }
      return session.isRegistered ? nil : "not registered"
    }
    clientConnected(id, ip: ip, isTLS: false)
    guard let session = sessions[id] else { return "the server is full" }
    session.capabilities = Self.listenerCapabilities
    session.postsFromListener = true
    // The token stands in for the server password, as it does for the welcome it skips.
    session.givenPassword = configuration.password
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    logIn(session, to: account, via: credential, &replies)
    finish(replies, label: nil)
    receive(IRCMessage(command: "NICK", params: [account.name]), from: id)
    receive(
      IRCMessage(command: "USER", params: [account.foldedName, "0", "*", "bots listener"]), from: id
    )
    guard sessions[id]?.isRegistered == true else {
      connectionClosed(id, reason: "Could not register")
      return "could not register as \(account.name): its nick is in use"
    }
    return nil
  }
}
