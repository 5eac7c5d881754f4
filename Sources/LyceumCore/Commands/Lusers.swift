import LyceumProtocol

extension IRCServerCore {
  /// `LUSERS`: user and channel counts (Modern IRC "LUSERS message").
  func handleLusers(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    sendLusers(to: client, replies: &replies)
  }

  /// `251`, `252` (when there are operators), `253` (when connections are still registering),
  /// `254`, `255`, `265`, `266`. Shared with the registration burst.
  ///
  /// As in solanum and ergo, `251`'s users are the visible ones, so that users and invisible add
  /// up to the total. There is one server, so local and global counts are the same.
  func sendLusers(to client: Client, replies: inout Replies) {
    var registered = 0
    var invisible = 0
    var operators = 0
    for other in clients.values where other.isRegistered {
      registered += 1
      if other.isInvisible { invisible += 1 }
      if other.isOperator { operators += 1 }
    }
    let unregistered = clients.count - registered
    maxRegisteredClients = Swift.max(maxRegisteredClients, registered)
    let (users, maximum) = (String(registered), String(maxRegisteredClients))
    replies.numeric(
      .luserClient,
      "There are \(registered - invisible) users and \(invisible) invisible on 1 servers")
    if operators > 0 { replies.numeric(.luserOp, String(operators), "operator(s) online") }
    if unregistered > 0 {
      replies.numeric(.luserUnknown, String(unregistered), "unknown connection(s)")
    }
    replies.numeric(.luserChannels, String(channels.count), "channels formed")
    replies.numeric(.luserMe, "I have \(registered) clients and 0 servers")
    replies.numeric(
      .localUsers, users, maximum, "Current local users \(users), max \(maximum)")
    replies.numeric(
      .globalUsers, users, maximum, "Current global users \(users), max \(maximum)")
  }
}
