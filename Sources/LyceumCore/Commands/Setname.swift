import LyceumProtocol

extension IRCServerCore {
  /// `SETNAME :<realname>` (IRCv3 `setname`).
  ///
  /// An empty realname or one longer than the realname limit is refused with
  /// `FAIL SETNAME INVALID_REALNAME`. Otherwise the change is announced as
  /// `:nick!user@host SETNAME :<realname>` to channel peers with `setname`, and echoed to the
  /// client when it has the capability (a client without it changes its name silently, as the
  /// spec asks).
  func handleSetname(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let realname = message.params[0]
    guard !realname.isEmpty, realname.utf8.count <= configuration.limits.realnameLength else {
      replies.standardReply(
        .fail, command: "SETNAME", code: "INVALID_REALNAME", description: "Realname is not valid")
      return
    }
    client.realname = realname
    let change = IRCMessage(
      tags: serverTags(msgid: false, from: client), source: client.prefix, command: "SETNAME",
      params: [realname])
    broadcastToPeers(
      of: client, change, except: replies.session, includingOwnSessions: true, requiring: .setname)
    notifyExtendedMonitors(of: client, change, requiring: .setname)
    publish(.setname(networkRef(client), line: NetworkLine(change)))
    if replies.session.capabilities.contains(.setname) { replies.send(change) }
  }
}
