import LyceumProtocol

extension IRCServerCore {
  /// `MONITOR <+|-|C|L|S> [<nick>{,<nick>}]` (IRCv3 `monitor`): a list of nicks whose coming
  /// online (`730 RPL_MONONLINE`, with `nick!user@host`) and going offline
  /// (`731 RPL_MONOFFLINE`) the client is told of, without sharing a channel or polling ISON.
  ///
  /// `+` adds and answers with the current state of each added nick; past the
  /// `MONITOR=` limit the rest are refused in one `734 ERR_MONLISTFULL`. `-` removes and `C`
  /// clears, silently. `L` lists (`732`… `733`), `S` sends the state of every nick on the list.
  /// Names that cannot be nicks are skipped. The list belongs to the client (all its sessions
  /// are told) and ends with it.
  func handleMonitor(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let modifier = message.params[0]
    let nicks = message.params.dropFirst().first.map {
      $0.split(separator: ",").map(String.init).filter { !$0.isEmpty }
    }
    switch modifier {
    case "+":
      guard let nicks, !nicks.isEmpty else { return replies.needMoreParams("MONITOR") }
      addMonitored(nicks, for: client, &replies)
    case "-":
      guard let nicks, !nicks.isEmpty else { return replies.needMoreParams("MONITOR") }
      for nick in nicks { monitors.remove(fold(nick), for: client.id) }
    case "C", "c":
      monitors.clear(for: client.id)
    case "L", "l":
      for line in Self.commaLines(monitors.list(of: client.id), replies: replies) {
        replies.numeric(.monList, line)
      }
      replies.numeric(.endOfMonList, "End of MONITOR list")
    case "S", "s":
      sendMonitorStatus(of: monitors.list(of: client.id), &replies)
    default:
      replies.numeric(.errUnknownCommand, "MONITOR", "Unknown MONITOR modifier \(modifier)")
    }
  }

  private func addMonitored(_ nicks: [String], for client: Client, _ replies: inout Replies) {
    let limit = configuration.limits.monitorEntries
    var added: [String] = []
    for (index, nick) in nicks.enumerated() {
      guard IRCNames.isValidNick(nick, maxLength: configuration.limits.nickLength) else {
        continue
      }
      let folded = fold(nick)
      if monitors.contains(folded, for: client.id) {
        added.append(nick)
        continue
      }
      guard monitors.count(of: client.id) < limit else {
        let rest = nicks[index...].joined(separator: ",")
        replies.numeric(.errMonListFull, String(limit), rest, "Monitor list is full")
        break
      }
      monitors.add(nick, folded: folded, for: client.id)
      added.append(nick)
    }
    sendMonitorStatus(of: added, &replies)
  }

  /// `730` for the nicks online (as `nick!user@host`), `731` for the others, each split over
  /// as many lines as the 512-byte limit needs.
  private func sendMonitorStatus(of nicks: [String], _ replies: inout Replies) {
    var online: [String] = []
    var offline: [String] = []
    for nick in nicks {
      if let other = client(named: nick), other.isRegistered {
        online.append(other.prefix)
      } else {
        offline.append(nick)
      }
    }
    for line in Self.commaLines(online, replies: replies) { replies.numeric(.monOnline, line) }
    for line in Self.commaLines(offline, replies: replies) { replies.numeric(.monOffline, line) }
  }

  /// `items` joined with commas into as few trailing parameters as fit a numeric line of 512
  /// bytes (`:server NNN nick :` around them).
  static func commaLines(_ items: [String], replies: Replies) -> [String] {
    let room = 510 - (1 + replies.serverName.utf8.count + 5 + replies.target.utf8.count + 2)
    var lines: [String] = []
    var current = ""
    for item in items {
      if !current.isEmpty, current.utf8.count + 1 + item.utf8.count > room {
        lines.append(current)
        current = ""
      }
      current += current.isEmpty ? item : "," + item
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }
}
