import LyceumProtocol

/// Choosing what goes into history: the core adds entries to the outbox as it relays them.
extension IRCServerCore {
  /// Loads the direct conversations that have history (at start-up), for `TARGETS`.
  public func loadDirectConversations(_ targets: [HistoryTarget]) {
    for target in targets { noteDirectConversation(target) }
  }

  /// Remembers a direct conversation under both of its accounts.
  func noteDirectConversation(_ target: HistoryTarget) {
    guard case .direct(let a, let b) = target else { return }
    directConversations[a, default: []].insert(target)
    directConversations[b, default: []].insert(target)
  }

  /// Loads the newest kept messages (at start-up, oldest first) so that `REDACT` finds them:
  /// msgid, target and the sender's account name as stored.
  public func loadRecentMessages(
    _ messages: [(msgid: String, target: HistoryTarget, account: String?)]
  ) {
    for message in messages {
      recentMessages.note(
        msgid: message.msgid,
        .init(target: message.target, sender: nil, account: message.account.map(fold)))
    }
  }

  /// Continues msgids after the newest one kept (at start-up).
  public func continueMessageIDs(after msgid: String) {
    messageIDs.continueAfter(msgid)
  }

  /// Keeps a relayed channel message or event under `channel`, with the msgid and time of its
  /// tags, so that what clients were shown and what history replays are the same message.
  func keep(
    _ message: IRCMessage, in channel: Channel, from client: Client,
    lines: [MultilineLine]? = nil
  ) {
    guard configuration.historyEnabled,
      var entry = entry(for: message, target: .channel(channel.foldedName), from: client)
    else { return }
    entry.lines = lines
    noteRecent(entry, from: client)
    outbox.keep(entry)
  }

  /// Keeps a direct message when both sides are logged in: history belongs to accounts, so
  /// each party can read it back from any session.
  func keepDirect(
    _ message: IRCMessage, from client: Client, to recipient: Client,
    lines: [MultilineLine]? = nil
  ) {
    guard let receiver = recipient.account?.foldedName else { return }
    keepDirect(message, from: client, toAccount: receiver, lines: lines)
  }

  /// Keeps a direct message from a logged-in client to the account folded as `receiver`.
  func keepDirect(
    _ message: IRCMessage, from client: Client, toAccount receiver: String,
    lines: [MultilineLine]? = nil
  ) {
    guard configuration.historyEnabled, let sender = client.account?.foldedName,
      var entry = entry(for: message, target: .between(sender, receiver), from: client)
    else { return }
    entry.lines = lines
    noteRecent(entry, from: client)
    noteDirectConversation(entry.target)
    outbox.keep(entry)
  }

  /// Remembers a kept message for `REDACT` (see `RecentMessages`).
  private func noteRecent(_ entry: HistoryEntry, from client: Client) {
    guard ["PRIVMSG", "NOTICE", "TAGMSG"].contains(entry.command) else { return }
    recentMessages.note(
      msgid: entry.msgid,
      .init(target: entry.target, sender: client.id, account: client.account?.foldedName))
  }

  /// Keeps a client-wide event (QUIT, NICK) once in each of the client's channels.
  func keepInChannels(_ message: IRCMessage, of client: Client) {
    for folded in client.channels.sorted() {
      guard let channel = channels[folded] else { continue }
      keep(message, in: channel, from: client)
    }
  }

  private func entry(for message: IRCMessage, target: HistoryTarget, from client: Client)
    -> HistoryEntry?
  {
    guard case .some(.some(let msgid)) = message.tag("msgid") else { return nil }
    let time: Int64 =
      if case .some(.some(let text)) = message.tag("time"),
        let parsed = ServerTime.parse(text)
      {
        parsed
      } else {
        clock.wallClockMilliseconds()
      }
    let clientTags = message.tags.filter(\.isClientOnly)
    let reply = clientTags.first { $0.key == "+reply" || $0.key == "+draft/reply" }?.value
    return HistoryEntry(
      msgid: msgid, timeMilliseconds: time, target: target, command: message.command,
      source: message.source ?? client.prefix, account: client.account?.name,
      clientTags: clientTags, params: message.params, replyTo: reply ?? nil)
  }
}
