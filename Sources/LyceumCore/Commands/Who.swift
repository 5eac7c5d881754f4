import LyceumProtocol

extension IRCServerCore {
  /// `WHO <mask> [[o][%<fields>[,<token>]]]` (Modern IRC "WHO message", IRCv3 WHOX).
  ///
  /// A channel mask lists its members; anything else is a nick or a glob matched against nick,
  /// username, host and realname. Invisible users are listed only to those who share a channel
  /// with them (or to operators), except when asked for by their exact nick. The `o` flag keeps
  /// only IRC operators. Plain WHO answers `352` lines, WHOX answers `354` with the requested
  /// fields; both end with `315 <mask>`. Without a mask, `*` is assumed (RFC 2812).
  func handleWho(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let mask = message.params.first.flatMap { $0.isEmpty ? nil : $0 } ?? "*"
    let options = message.params.count > 1 ? WhoOptions(message.params[1]) : WhoOptions()
    var matches: [(Client, Channel?)] = []
    if mask.hasPrefix("#") {
      if let channel = channel(named: mask), canSee(channel, asker: client) {
        let isMember = channel.members[client.id] != nil
        for id in channel.memberOrder {
          guard let member = clients[id] else { continue }
          if isMember || isVisible(member, to: client) { matches.append((member, channel)) }
        }
      }
    } else if let exact = self.client(named: mask), exact.isRegistered {
      matches.append((exact, nil))
    } else {
      let glob = IRCMask(mask, caseMapping: caseMapping)
      for other in clients.values.sorted(by: { $0.id < $1.id })
      where other.isRegistered && isVisible(other, to: client) {
        if glob.matches(other.displayNick) || glob.matches(other.user ?? "")
          || glob.matches(other.host) || glob.matches(other.realname)
        {
          matches.append((other, nil))
        }
      }
    }
    let multiPrefix = replies.session.capabilities.contains(.multiPrefix)
    for (other, channel) in matches where !options.operatorsOnly || other.isOperator {
      if let fields = options.fields {
        replies.numeric(
          .whoSpcRpl,
          params: whoxFields(
            fields, token: options.token, of: other, in: channel, for: client,
            multiPrefix: multiPrefix))
      } else {
        replies.numeric(
          .whoReply, channel?.name ?? "*", other.user ?? "*", other.host,
          other.homeServerName ?? configuration.serverName, other.displayNick,
          whoFlags(of: other, in: channel, multiPrefix: multiPrefix),
          "0 \(other.realname)")
      }
    }
    replies.numeric(.endOfWho, mask, "End of WHO list")
  }

  /// `H` or `G` (away), `*` for an IRC operator, the channel prefix (all of them with
  /// `multi-prefix`), then `B` for a bot (`BOT=B`).
  func whoFlags(of other: Client, in channel: Channel?, multiPrefix: Bool) -> String {
    var flags = other.awayMessage == nil ? "H" : "G"
    if other.isOperator { flags += "*" }
    if let channel, let membership = channel.members[other.id] {
      flags += membership.prefixes(all: multiPrefix)
    }
    if other.isBot { flags += "B" }
    return flags
  }

  /// The `354` parameters for the requested WHOX fields, in the canonical order
  /// `t c u i h s n f d l a o r`. The account is `0` for clients not logged in; there are no op levels
  /// (`o` is `n/a`).
  private func whoxFields(
    _ fields: Set<Character>, token: String, of other: Client, in channel: Channel?,
    for asker: Client, multiPrefix: Bool
  ) -> [String] {
    var out: [String] = []
    for field in WhoOptions.canonicalOrder where fields.contains(field) {
      switch field {
      case "t": out.append(token)
      case "c": out.append(channel?.name ?? "*")
      case "u": out.append(other.user ?? "*")
      case "i":
        // The IP is shown when the host already shows it; a cloaked host keeps it private.
        let ip = other.ip.hasPrefix(":") ? "0" + other.ip : other.ip
        let mayShow = ip == other.host || asker.isOperator || asker.id == other.id
        out.append(mayShow ? ip : "255.255.255.255")
      case "h": out.append(other.host)
      case "s": out.append(other.homeServerName ?? configuration.serverName)
      case "n": out.append(other.displayNick)
      case "f": out.append(whoFlags(of: other, in: channel, multiPrefix: multiPrefix))
      case "d": out.append("0")
      case "l": out.append(String(idleSeconds(of: other)))
      case "a": out.append(other.account?.name ?? "0")
      case "o": out.append("n/a")
      case "r": out.append(other.realname)
      default: break
      }
    }
    return out
  }
}

/// The second parameter of `WHO`: RFC 2812's `o` flag and the WHOX `%fields,token`.
struct WhoOptions: Equatable {
  static let canonicalOrder: [Character] = [
    "t", "c", "u", "i", "h", "s", "n", "f", "d", "l", "a", "o", "r",
  ]

  var operatorsOnly = false
  /// The WHOX fields, or nil for a plain `352` reply.
  var fields: Set<Character>?
  /// The WHOX query type echoed by the `t` field: up to three digits, `0` when absent.
  var token = "0"

  init() {}

  init(_ text: String) {
    let parts = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
    operatorsOnly = parts[0].contains("o")
    guard parts.count == 2 else { return }
    let spec = parts[1].split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
    fields = Set(spec[0].filter { Self.canonicalOrder.contains($0) })
    if spec.count == 2, (1...3).contains(spec[1].count), spec[1].allSatisfy(\.isASCIIDigit) {
      token = String(spec[1])
    }
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
