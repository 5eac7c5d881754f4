import LyceumProtocol

extension IRCServerCore {
  /// `WHOIS [<server>] <nick>{,<nick>}` (Modern IRC "WHOIS message").
  ///
  /// With two parameters the first names a server (or a nick whose server is meant); there is
  /// only this server, so the answer is for the last parameter either way, unless the first
  /// names neither (`402`). Each nick gets its numerics, an unknown one `401`; one `318` carrying
  /// the nick parameter exactly as sent ends the reply. At most `targetsPerCommand` nicks are
  /// answered.
  func handleWhois(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let nickParameter = message.params[message.params.count - 1]
    if message.params.count >= 2 {
      let server = message.params[0]
      if !isThisServer(server) {
        replies.numeric(.errNoSuchServer, server, "No such server")
        return
      }
    }
    let nicks = nickParameter.split(separator: ",").prefix(configuration.limits.targetsPerCommand)
    for nick in nicks.map(String.init) {
      if let target = self.client(named: nick), target.isRegistered {
        sendWhois(of: target, to: client, replies: &replies)
      } else {
        replies.numeric(.errNoSuchNick, nick, "No such nick/channel")
      }
    }
    replies.numeric(.endOfWhois, nickParameter, "End of /WHOIS list")
  }

  /// Everything about `target` that `asker` may know, short of the final `318`.
  ///
  /// The real address (`378`, `338`), user modes (`379`) and certificate fingerprint (`276`)
  /// go only to the user themself and to IRC operators.
  private func sendWhois(of target: Client, to asker: Client, replies: inout Replies) {
    let nick = target.displayNick
    let privileged = asker.id == target.id || asker.isOperator
    replies.numeric(.whoisUser, nick, target.user ?? "*", target.host, "*", target.realname)
    replies.numericList(
      .whoisChannels, params: [nick], words: whoisChannels(of: target, for: asker))
    replies.numeric(
      .whoisServer, nick, target.homeServerName ?? configuration.serverName,
      configuration.info.first ?? configuration.networkName)
    if target.isOperator { replies.numeric(.whoisOperator, nick, "is an IRC operator") }
    if let away = target.awayMessage { replies.numeric(.away, nick, away) }
    if target.isTLS { replies.numeric(.whoisSecure, nick, "is using a secure connection") }
    if target.isBot {
      replies.numeric(.whoisBot, nick, "is a bot on \(configuration.networkName)")
    }
    if let account = target.account {
      replies.numeric(.whoisAccount, nick, account.name, "is logged in as")
      replies.numeric(.whoisSpecial, nick, Self.affiliation(of: account))
    }
    if privileged {
      let ip = target.ip.hasPrefix(":") ? "0" + target.ip : target.ip
      replies.numeric(.whoisHost, nick, "is connecting from *@\(target.host) \(ip)")
      replies.numeric(
        .whoisActually, nick, "\(target.user ?? "*")@\(target.host)", ip, "Is actually using host")
      replies.numeric(.whoisModes, nick, "is using modes \(target.modeString)")
      if let fingerprint = target.sessions.first?.tlsCertificateFingerprint {
        replies.numeric(.whoisCertFP, nick, "has client certificate fingerprint \(fingerprint)")
      }
    }
    replies.numeric(
      .whoisIdle, nick, String(idleSeconds(of: target)), String(target.signonMilliseconds / 1000),
      "seconds idle, signon time")
  }

  /// `[prefix]#channel` for each channel of `target` that `asker` may see: secret channels only
  /// when shared, and for an invisible user only the shared channels (unless the asker is the
  /// user or an operator). Only the highest prefix is shown: Modern IRC defines `319` that way
  /// and `multi-prefix` covers only NAMES and WHO. Sorted by name for a stable reply.
  private func whoisChannels(of target: Client, for asker: Client) -> [String] {
    let seesAll = asker.id == target.id || asker.isOperator
    var words: [String] = []
    for folded in target.channels.sorted() {
      guard let channel = channels[folded], let membership = channel.members[target.id] else {
        continue
      }
      let shared = channel.members[asker.id] != nil
      if !seesAll && !shared && (channel.modes.secret || target.isInvisible) { continue }
      words.append(membership.prefixes(all: false) + channel.name)
    }
    return words
  }

  /// The `320` line: role and institution, such as `is faculty at Universidad de Salamanca`.
  static func affiliation(of account: AccountSummary) -> String {
    let role =
      switch account.role {
      case .faculty: "faculty"
      case .staff: "staff"
      case .researcher: "a researcher"
      case .student: "a student"
      case .bot: "a bot"
      case .admin: "an administrator"
      }
    let name = account.displayName.map { " (\($0))" } ?? ""
    guard let institution = account.institution, !institution.isEmpty else {
      return "is \(role)\(name)"
    }
    return "is \(role) at \(institution)\(name)"
  }
}
