import LyceumProtocol

extension IRCServerCore {
  /// `VERSION [<target>]`: `351 <version> <server> :<comments>` and the `005` ISUPPORT lines
  /// again (Modern IRC "VERSION message"). A target that is not this server gets `402`.
  func handleVersion(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if let target = message.params.first, !isThisServer(target) {
      replies.numeric(.errNoSuchServer, target, "No such server")
      return
    }
    replies.numeric(
      .version, configuration.version, configuration.serverName,
      "\(configuration.networkName) chat server")
    sendISupport(&replies)
  }
}
