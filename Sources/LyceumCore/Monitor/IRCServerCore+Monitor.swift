import LyceumProtocol

/// MONITOR notifications: a watched nick coming online or going offline, and with
/// `extended-monitor` its other changes, for watchers who share no channel with it.
extension IRCServerCore {
  /// `client` is now online under its nick (registered, or renamed to it).
  func announceOnline(_ client: Client) {
    guard let folded = client.foldedNick else { return }
    notifyWatchers(of: folded, numeric: .monOnline, item: client.prefix)
  }

  /// The nick `nick` (folded `folded`) is no longer in use (its client quit or was renamed).
  func announceOffline(nick: String, folded: String) {
    notifyWatchers(of: folded, numeric: .monOffline, item: nick)
  }

  private func notifyWatchers(of folded: String, numeric: Numeric, item: String) {
    for id in monitors.watchers(of: folded) {
      guard let watcher = clients[id] else { continue }
      for session in watcher.registeredSessions {
        reply(to: session) { $0.numeric(numeric, item) }
      }
    }
  }

  /// Sends `message` (an AWAY, ACCOUNT or SETNAME of `client`) to the sessions with
  /// `extended-monitor` and `capability` of every client watching it that shares no channel
  /// with it (those get it from the channel broadcast already) and is not `client` itself.
  func notifyExtendedMonitors(
    of client: Client, _ message: IRCMessage, requiring capability: CapabilitySet
  ) {
    guard let folded = client.foldedNick else { return }
    let watchers = monitors.watchers(of: folded)
    guard !watchers.isEmpty else { return }
    var fanOut = FanOutMessage(message)
    let needed = capability.union(.extendedMonitor)
    for id in watchers where id != client.id {
      guard let watcher = clients[id], watcher.channels.isDisjoint(with: client.channels) else {
        continue
      }
      for session in watcher.registeredSessions where session.capabilities.isSuperset(of: needed) {
        outbox.append(fanOut.bytes(for: session.capabilities), to: session)
      }
    }
  }
}
