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
    let counts = clientCounts
    let (registered, invisible, operators) = (counts.registered, counts.invisible, counts.operators)
    let unregistered = clients.count - registered
    let servers = 1 + counts.remoteByNode.count
    replies.numeric(
      .luserClient,
      "There are \(registered - invisible) users and \(invisible) invisible on \(servers) servers")
    if operators > 0 { replies.numeric(.luserOp, String(operators), "operator(s) online") }
    if unregistered > 0 {
      replies.numeric(.luserUnknown, String(unregistered), "unknown connection(s)")
    }
    replies.numeric(.luserChannels, String(channels.count), "channels formed")
    let (local, maxLocal) = (String(counts.local), String(counts.maxLocal))
    let (global, maxGlobal) = (String(registered), String(counts.maxGlobal))
    replies.numeric(.luserMe, "I have \(counts.local) clients and \(servers - 1) servers")
    replies.numeric(
      .localUsers, local, maxLocal, "Current local users \(local), max \(maxLocal)")
    replies.numeric(
      .globalUsers, global, maxGlobal, "Current global users \(global), max \(maxGlobal)")
  }
}
