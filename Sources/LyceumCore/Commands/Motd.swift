import LyceumProtocol

extension IRCServerCore {
  /// `MOTD [<target>]`: the message of the day (Modern IRC "MOTD message"); a target that is
  /// not this server gets `402`.
  func handleMotd(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if let target = message.params.first, !isThisServer(target) {
      replies.numeric(.errNoSuchServer, target, "No such server")
      return
    }
    sendMotd(to: client, replies: &replies)
  }

  /// `375`, one `372` per line, `376`; or `422` when there is no message. Shared with the
  /// registration burst.
  func sendMotd(to client: Client, replies: inout Replies) {
    let lines = configuration.motd
    guard !lines.isEmpty else {
      replies.numeric(.errNoMotd, "MOTD File is missing")
      return
    }
    replies.numeric(.motdStart, "- \(configuration.serverName) Message of the day - ")
    for line in lines { replies.numeric(.motd, "- " + line) }
    replies.numeric(.endOfMotd, "End of /MOTD command.")
  }
}
