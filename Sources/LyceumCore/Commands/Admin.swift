import LyceumProtocol

extension IRCServerCore {
  /// `ADMIN [server]`: who runs this server (Modern IRC "ADMIN message"): `256`, then the
  /// configured `admin-info` lines as `257` (location), `258` (more location), `259` (e-mail).
  func handleAdmin(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if let target = message.params.first, !isThisServer(target) {
      replies.numeric(.errNoSuchServer, target, "No such server")
      return
    }
    let lines = configuration.adminInfo
    replies.numeric(.adminMe, configuration.serverName, "Administrative info")
    let numerics: [Numeric] = [.adminLoc1, .adminLoc2, .adminEmail]
    for (index, numeric) in numerics.enumerated() {
      replies.numeric(numeric, index < lines.count ? lines[index] : "Not configured")
    }
  }
}
