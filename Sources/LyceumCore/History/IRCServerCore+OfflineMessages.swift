import LyceumProtocol

/// Direct messages to accounts that are offline, and the catch-up a session gets on connect.
///
/// A `PRIVMSG` or `NOTICE` from a logged-in client to a name that is no one's nick but a
/// registered account's is kept in the two accounts' conversation, as a message between two
/// online accounts is, and delivered when the account next connects: listed by
/// `CHATHISTORY TARGETS` for clients that fetch their own history, replayed after the welcome
/// for the others (`requestConnectCatchUp`). Guests cannot leave messages (their messages are
/// kept for no one, and an anonymous sender could fill a stranger's history), nor can `TAGMSG`
/// (typing notices and the like, which mean nothing later).
extension IRCServerCore {
  /// Keeps a message for the offline `account`; false (after a reply) when it cannot be left:
  /// `401` as for an unknown nick (a guest sender, `TAGMSG`, history or the feature off), or
  /// `FAIL … OFFLINE_LIMIT` when `limits.offlineMessages` are already waiting. Once kept, the
  /// sender's other sessions get it, and a `PRIVMSG`'s sender `301` saying it will be delivered.
  func keepForOffline(
    _ client: Client, account: AccountSummary, nick: String, _ outgoing: IRCMessage,
    kind: MessageKind, _ errors: inout Replies, _ confirmations: inout Replies,
    lines: [MultilineLine]? = nil
  ) -> Bool {
    let limit = configuration.limits.offlineMessages
    guard kind != .tagmsg, configuration.historyEnabled, limit > 0, client.account != nil else {
      errors.numeric(.errNoSuchNick, nick, "No such nick/channel")
      return false
    }
    let waiting = offlineMessageCounts[account.foldedName, default: 0]
    guard waiting < limit else {
      errors.standardReply(
        .fail, command: kind.command, code: "OFFLINE_LIMIT", context: [nick],
        description: "\(account.name) is offline and has too many messages waiting; not delivered")
      return false
    }
    offlineMessageCounts[account.foldedName] = waiting + 1
    keepDirect(outgoing, from: client, toAccount: account.foldedName, lines: lines)
    client.liveConversations.insert(account.foldedName)
    if let lines {
      deliverMultiline(outgoing, lines: lines, to: client, except: errors.session)
    } else {
      deliver(outgoing, to: client, except: errors.session)
    }
    confirmations.numeric(
      .away, nick,
      "\(account.name) is offline; your message is kept and delivered when they connect")
    return true
  }

  /// When a logged-in session without `draft/read-marker` ends, what it was shown live counts
  /// as read, as it cannot say so itself: its account's markers of the client's channels and of
  /// the conversations it was sent direct messages in move to now. Its next catch-up then
  /// starts after what it saw, instead of showing old lines as new.
  func markReadOnLeaving(_ session: Session) {
    let client = session.client
    guard configuration.historyEnabled, session.isRegistered, client.account != nil,
      !session.capabilities.contains(.readMarker)
    else { return }
    let now = clock.wallClockMilliseconds()
    var names = client.channels.sorted().map { (key: $0, name: channels[$0]?.name ?? $0) }
    names += client.liveConversations.sorted().map { (key: $0, name: accounts[$0]?.name ?? $0) }
    for item in names {
      advanceReadMarker(to: now, key: item.key, shownAs: item.name, for: client, except: session)
    }
  }

  /// After the welcome of a session logged in to an account: its messages waiting are
  /// delivered, so the count of them starts again; a session without `draft/chathistory` is
  /// shown what it has not read: the unread direct messages of the account's conversations
  /// with the newest activity, and, when it joins the account's client that is already online,
  /// the unread lines of that client's channels (see `replayCatchUp`).
  func requestConnectCatchUp(of client: Client, attached: Bool, _ replies: inout Replies) {
    guard let own = client.account?.foldedName else { return }
    offlineMessageCounts[own] = nil
    var targets: [ReplayTarget] = []
    if attached {
      for folded in client.channels.sorted() {
        guard let channel = channels[folded] else { continue }
        targets.append(
          ReplayTarget(
            name: channel.name, target: .channel(folded),
            readUpTo: readMarker(for: client, target: folded)))
      }
    }
    let channelCount = targets.count
    for conversation in (directConversations[own] ?? []).sorted(by: { $0.key < $1.key }) {
      guard case .direct(let a, let b) = conversation else { continue }
      let other = a == own ? b : a
      targets.append(
        ReplayTarget(
          name: accounts[other]?.name ?? other, target: conversation,
          readUpTo: readMarkers[own]?[other]))
    }
    requestCatchUp(
      targets, activeOnly: channelCount + configuration.limits.catchUpConversations, label: nil,
      &replies)
  }
}
