import LyceumProtocol

extension IRCServerCore {
  /// `INFO`: one `371` per line of the configured information, then `374`
  /// (Modern IRC "INFO message").
  func handleInfo(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if let target = message.params.first, !isThisServer(target) {
      replies.numeric(.errNoSuchServer, target, "No such server")
      return
    }
    for line in configuration.info { replies.numeric(.info, line) }
    replies.numeric(.endOfInfo, "End of INFO list")
  }
}
