import LyceumProtocol

extension IRCServerCore {
  /// `ISON <nick>{ <nick>}`: `303 :<nicks online>` in their current spelling (RFC 2812 §4.9).
  ///
  /// Nicks may come as separate parameters or space-separated in one trailing parameter, as old
  /// clients send them.
  func handleIson(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    var online: [String] = []
    for nick in message.params.flatMap({ $0.split(separator: " ") }) {
      if let other = self.client(named: String(nick)), other.isRegistered {
        online.append(other.displayNick)
      }
    }
    replies.numeric(.ison, online.joined(separator: " "))
  }
}
