import LyceumProtocol

/// Read markers in the core (IRCv3 `draft/read-marker`): loaded from the store at start-up,
/// answered from memory, moved forward by `MARKREAD`, and shown to every session of the
/// account that negotiated the capability.
///
/// A logged-in client's markers belong to its account, are shared by all its sessions and are
/// stored (`CoreEvent.readMarkerChanged`). A client without an account keeps its markers on
/// its `Client`, in memory only, until it disconnects; they are not carried into an account it
/// logs in to later.
extension IRCServerCore {
  /// Replaces the markers in memory with `markers` (at start-up, from the store); of two
  /// markers for the same account and target the newer wins.
  public func loadReadMarkers(_ markers: [ReadMarker]) {
    readMarkers = [:]
    for marker in markers {
      let current = readMarkers[marker.account]?[marker.target] ?? .min
      readMarkers[marker.account, default: [:]][marker.target] = max(
        current, marker.milliseconds)
    }
  }

  /// The key a target's marker is kept under: a channel's folded name; for a nick, the folded
  /// name of the account of the client using it, so that a direct conversation has one marker
  /// whatever nick the other party uses (direct history is kept per pair of accounts); the
  /// folded nick itself for a guest, or a name that is no one's nick (an account's name is also
  /// its folded key).
  func readMarkerKey(_ target: String) -> String {
    if Self.channelPart(of: target) == nil, let other = client(named: target),
      let account = other.account?.foldedName
    {
      return account
    }
    return fold(target)
  }

  /// The read marker of `client` (its account's, when logged in) for a folded target.
  func readMarker(for client: Client, target folded: String) -> Int64? {
    if let account = client.account?.foldedName { return readMarkers[account]?[folded] }
    return client.guestReadMarkers[folded]
  }

  /// How many targets `client` (its account, when logged in) has a marker for.
  func readMarkerCount(for client: Client) -> Int {
    if let account = client.account?.foldedName { return readMarkers[account]?.count ?? 0 }
    return client.guestReadMarkers.count
  }

  /// Moves the marker forward and tells the store, for a logged-in client.
  func setReadMarker(_ milliseconds: Int64, for client: Client, target folded: String) {
    guard let account = client.account?.foldedName else {
      client.guestReadMarkers[folded] = milliseconds
      return
    }
    readMarkers[account, default: [:]][folded] = milliseconds
    outbox.events.append(
      .readMarkerChanged(account: account, target: folded, milliseconds: milliseconds))
    publish(.readMarker(account: account, target: folded, milliseconds: milliseconds))
  }

  /// Moves `client`'s marker for `key` forward to `time` on the server's own account (what a
  /// session that cannot mark read was shown), within `readMarkersPerAccount`, and tells the
  /// account's other sessions that negotiated `draft/read-marker`.
  func advanceReadMarker(
    to time: Int64, key: String, shownAs name: String, for client: Client,
    except session: Session
  ) {
    let current = readMarker(for: client, target: key)
    if let current, current >= time { return }
    guard
      current != nil || readMarkerCount(for: client) < configuration.limits.readMarkersPerAccount
    else { return }
    setReadMarker(time, for: client, target: key)
    syncReadMarker(markReadMessage(name, time), of: client, except: session)
  }

  /// `:server MARKREAD <target> timestamp=…`, or `*` when there is no marker.
  func markReadMessage(_ target: String, _ milliseconds: Int64?) -> IRCMessage {
    IRCMessage(
      source: configuration.serverName, command: "MARKREAD",
      params: [
        target, milliseconds.map { "timestamp=" + ServerTime.format(milliseconds: $0) } ?? "*",
      ])
  }

  /// After a JOIN: the channel's marker, for a session that negotiated `draft/read-marker`
  /// (the spec's MUST: after the JOIN, before `366 RPL_ENDOFNAMES`).
  func sendJoinReadMarker(of channel: Channel, to client: Client, _ replies: inout Replies) {
    guard configuration.historyEnabled, replies.session.capabilities.contains(.readMarker)
    else { return }
    replies.send(
      markReadMessage(channel.name, readMarker(for: client, target: channel.foldedName)))
  }

  /// Sends a moved marker to every session of the account (every client logged in to it) that
  /// negotiated `draft/read-marker`, except `excluded`, which has its own reply.
  func syncReadMarker(_ message: IRCMessage, of client: Client, except excluded: Session) {
    guard let account = client.account?.foldedName else {
      deliver(message, to: client, except: excluded, requiring: .readMarker)
      return
    }
    for other in clients(ofAccount: account) {
      deliver(message, to: other, except: excluded, requiring: .readMarker)
    }
  }
}
