import LyceumProtocol

extension IRCServerCore {
  /// `USERHOST <nick>{ <nick>}` (up to five): `302 :nick[*]=<+|->user@host …`, where `*` marks
  /// an IRC operator and `-` an away user (RFC 2812 §4.8, Modern IRC "RPL_USERHOST"). Unknown
  /// nicks are left out.
  func handleUserhost(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    var entries: [String] = []
    let nicks = message.params.flatMap { $0.split(separator: " ") }.prefix(5)
    for nick in nicks {
      guard let other = self.client(named: String(nick)), other.isRegistered else { continue }
      let op = other.isOperator ? "*" : ""
      let away = other.awayMessage == nil ? "+" : "-"
      entries.append("\(other.displayNick)\(op)=\(away)\(other.user ?? "*")@\(other.host)")
    }
    replies.numeric(.userhost, entries.joined(separator: " "))
  }
}
