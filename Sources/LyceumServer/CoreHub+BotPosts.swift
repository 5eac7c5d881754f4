import LyceumCore
import LyceumProtocol

/// Posts from the bots' loopback listener (see `BotConnection`, and `openListenerSession` in
/// the core for the posting identity).
extension CoreHub {
  /// Checks the line's token in the account pool (off the core's queue, fairly between
  /// addresses, under the failed-login throttle), then, on the core's queue, opens the
  /// connection's core session if needed and runs the post as a labelled `PRIVMSG`. Its answer
  /// comes back through the session's output (`BotConnection.receiveOutput`), or at once
  /// through `BotConnection.answer` when the token or the session was refused.
  func post(_ line: BotLine, label: String, ip: String, from bot: BotConnection) {
    guard let checkBotToken else {
      bot.answer("ERROR accounts are not available")
      return
    }
    accountPool.submit(key: ip) { [self] in
      let response = checkBotToken(ip, line.account, line.secret)
      queue.async { [self] in
        // Closed meanwhile: open nothing (its close already ran, or finds nothing to end).
        guard !bot.isClosed.load(ordering: .sequentiallyConsistent) else { return }
        switch response {
        case .loggedIn(let summary, let credential):
          botConnections[bot.clientID] = bot
          if let refusal = core.openListenerSession(
            bot.clientID, ip: ip, account: summary, via: credential)
          {
            bot.answer("ERROR \(refusal)")
          } else {
            core.receive(
              IRCMessage(
                tags: [IRCTag("label", label)], command: "PRIVMSG",
                params: [line.target, line.text]), from: bot.clientID)
          }
          flush()
        case .throttled(let seconds):
          logger.warning("bots listener login to account \(line.account) from \(ip): throttled")
          bot.answer("ERROR too many failed logins; try again in \(seconds) seconds")
        default:
          logger.warning("bots listener login to account \(line.account) from \(ip): failed")
          bot.answer("ERROR authentication failed")
        }
      }
    }
  }

  /// The listener's connection closed: its core session ends (silently, unless it was its
  /// client's last session, as for any connection).
  func botConnectionClosed(_ bot: BotConnection) {
    queue.async { [self] in
      guard botConnections.removeValue(forKey: bot.clientID) != nil else { return }
      holds.remove(bot.clientID)
      core.connectionClosed(bot.clientID, reason: "Connection closed")
      flush()
    }
  }
}
