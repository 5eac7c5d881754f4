import LyceumProtocol

extension IRCServerCore {
  /// `TIME [<server>]`: `391 <client> <server> <unix time> :<human-readable time>`
  /// (Modern IRC "TIME message", "RPL_TIME"). Another server name gets `402`.
  func handleTime(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if let server = message.params.first, !isThisServer(server) {
      replies.numeric(.errNoSuchServer, server, "No such server")
      return
    }
    let now = clock.wallClockMilliseconds()
    replies.numeric(
      .time, configuration.serverName, String(now / 1000),
      ServerTime.humanReadable(milliseconds: now))
  }

  /// Whether a `<target>`/`<server>` parameter of a server query means this server: its name,
  /// a glob matching it, or the nick of one of its users (all users are local).
  func isThisServer(_ target: String) -> Bool {
    IRCMask(target, caseMapping: .ascii).matches(configuration.serverName)
      || client(named: target) != nil
  }
}

extension ServerTime {
  private static let weekdays = [
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
  ]
  private static let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  /// A time for people, in UTC: `Tuesday November 14 2023 -- 22:13:20 UTC`. Used by `TIME` and
  /// `WHOWAS`; clients must not parse it.
  static func humanReadable(milliseconds: Int64) -> String {
    let seconds = Int(milliseconds / 1000)
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondsOfDay = seconds - days * 86_400
    let (year, month, day) = civilDate(daysSinceEpoch: days)
    // 1970-01-01 was a Thursday.
    let weekday = ((days % 7) + 7 + 4) % 7
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    let clock =
      "\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60))"
    return "\(weekdays[weekday]) \(months[month - 1]) \(day) \(year) -- \(clock) UTC"
  }
}
