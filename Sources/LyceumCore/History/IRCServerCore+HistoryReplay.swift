import LyceumProtocol

/// Answers from the history store, formatted as `CHATHISTORY` replies: one `chathistory` (or
/// `draft/chathistory-targets`) batch per answer, nested in the `labeled-response` batch when
/// the command was labelled.
extension IRCServerCore {
  /// The history store's answer to the request `id`'s connection made. A stale answer (the
  /// connection is gone, or it is not the request being waited on) is dropped.
  public func historyResponse(_ response: HistoryResponse, for id: ClientID) {
    guard let session = sessions[id], let pending = session.pendingHistoryRequest,
      pending.id == response.requestID
    else { return }
    session.pendingHistoryRequest = nil
    var replies = Replies(
      serverName: configuration.serverName, target: session.client.displayNick, session: session)
    for message in pending.heldReplies { replies.send(message) }
    switch visible(response) {
    case .catchUp(_, let entries, let skipped):
      replayCatchUp(entries, skipped: skipped, targets: pending.replay ?? [], &replies)
    case .entries(_, let entries):
      replayEntries(
        entries, batchType: pending.batchType, pending.batchParams ?? [pending.target ?? "*"],
        &replies)
    case .targets(_, let activity):
      replayTargets(activity, keepOldest: pending.keepOldest, &replies)
    case .threads(_, let threads):
      replayThreads(threads, target: pending.target ?? "*", &replies)
    case .found(_, let result):
      replaySearch(result, &replies)
    case .failed where pending.replay != nil:
      break  // the JOIN (or registration) went through; a replay that could not be read is left out
    case .failed:
      // soju.im/search names its store failure INTERNAL_ERROR; the others MESSAGE_ERROR.
      replies.standardReply(
        .fail, command: pending.command,
        code: pending.command == "SEARCH" ? "INTERNAL_ERROR" : "MESSAGE_ERROR",
        context: pending.batchParams ?? [pending.subcommand] + (pending.target.map { [$0] } ?? []),
        description: "Messages could not be retrieved")
    }
    finish(replies, label: pending.label)
    replayDeferred(session)
  }

  /// The time before which a target's history is not shown to anyone over IRC.
  ///
  /// A channel shows only what was said since it was created: an ordinary channel is forgotten
  /// when it empties, and whoever creates one of the same name later must not read the earlier
  /// one (which may have been secret). A registered room never ends, so its floor is the
  /// creation of the channel in which it was registered (stored with the room, so it survives
  /// restarts); registering a name later never opens what an earlier, unregistered channel of
  /// that name kept. A channel that is gone shows nothing.
  ///
  /// A direct conversation shows only what was said since both of its accounts were created:
  /// an account deleted and registered again under the same name by someone else does not
  /// inherit the old account's messages (`AccountSummary.createdAtMilliseconds`). A
  /// conversation with an account that no longer exists shows nothing.
  func historyFloor(_ target: HistoryTarget) -> Int64 {
    switch target {
    case .channel(let folded):
      return channels[folded]?.createdAtMilliseconds ?? .max
    case .direct(let a, let b):
      guard let first = accounts[a], let second = accounts[b] else { return .max }
      return max(first.createdAtMilliseconds, second.createdAtMilliseconds)
    }
  }

  /// The response without what `historyFloor` hides.
  private func visible(_ response: HistoryResponse) -> HistoryResponse {
    func shown(_ entry: HistoryEntry) -> Bool {
      entry.timeMilliseconds >= historyFloor(entry.target)
    }
    switch response {
    case .entries(let id, let entries):
      return .entries(id, entries.filter(shown))
    case .catchUp(let id, let entries, let skipped):
      return .catchUp(id, entries.filter(shown), skipped: skipped)
    case .threads(let id, let threads):
      return .threads(id, threads.filter { shown($0.root) })
    case .targets(let id, let activity):
      return .targets(id, activity.filter { $0.lastMilliseconds >= historyFloor($0.target) })
    case .found(let id, var result):
      result.entries = result.entries.filter(shown)
      return .found(id, result)
    case .failed:
      return response
    }
  }

  /// A `chathistory` (or `lyceum.chat/thread`) batch of `entries` as this session may see them:
  /// only `PRIVMSG` and `NOTICE` without `draft/event-playback` (the spec's MUST), `TAGMSG`
  /// only with `message-tags`.
  private func replayEntries(
    _ entries: [HistoryEntry], batchType: String, _ batchParams: [String],
    _ replies: inout Replies
  ) {
    let capabilities = replies.session.capabilities
    let events = capabilities.contains(.eventPlayback)
    var lines: [IRCMessage] = []
    lines.reserveCapacity(entries.count)
    for entry in entries {
      switch entry.command {
      case "PRIVMSG", "NOTICE": break
      case "TAGMSG": guard events && capabilities.contains(.messageTags) else { continue }
      case "REDACT": guard events && capabilities.contains(.messageRedaction) else { continue }
      default: guard events else { continue }
      }
      lines.append(contentsOf: replayedLines(entry, for: capabilities))
    }
    appendBatch(type: batchType, batchParams, lines, &replies)
  }

  /// A `draft/chathistory-targets` batch: `CHATHISTORY TARGETS <target> <time>` per target,
  /// oldest activity first (only the `keepOldest` first, when set). A conversation is named by
  /// the other party's account.
  private func replayTargets(
    _ activity: [HistoryTargetActivity], keepOldest: Int?, _ replies: inout Replies
  ) {
    let own = replies.session.client.account?.foldedName
    var named: [(time: Int64, name: String)] = activity.map { item in
      switch item.target {
      case .channel(let folded):
        return (item.lastMilliseconds, channels[folded]?.name ?? folded)
      case .direct(let a, let b):
        let other = a == own ? b : a
        return (item.lastMilliseconds, accounts[other]?.name ?? other)
      }
    }
    named.sort { $0.time != $1.time ? $0.time < $1.time : $0.name < $1.name }
    if let keepOldest { named = Array(named.prefix(keepOldest)) }
    let lines = named.map { item in
      IRCMessage(
        source: configuration.serverName, command: "CHATHISTORY",
        params: ["TARGETS", item.name, ServerTime.format(milliseconds: item.time)])
    }
    appendBatch(type: "draft/chathistory-targets", [], lines, &replies)
  }

  /// Adds `lines` inside a new batch for clients with `batch`, bare for the others. A line
  /// that already has a `batch` tag belongs to a batch nested in this one.
  func appendBatch(
    type: String, _ params: [String], _ lines: [IRCMessage], _ replies: inout Replies
  ) {
    guard replies.session.capabilities.contains(.batch) else {
      for line in lines { replies.send(line) }
      return
    }
    let batchID = nextBatchID()
    replies.send(
      IRCMessage(
        source: configuration.serverName, command: "BATCH", params: ["+" + batchID, type] + params))
    // Lines of a batch nested inside (a multiline message) keep their own batch tag.
    for var line in lines {
      if line.tag("batch") == nil { line.tags.insert(IRCTag("batch", batchID), at: 0) }
      replies.send(line)
    }
    replies.send(
      IRCMessage(source: configuration.serverName, command: "BATCH", params: ["-" + batchID]))
  }

  /// A kept entry as it was relayed: its time, msgid, account and client tags, source,
  /// command and parameters. What is kept was cut to fit when it was relayed; an entry kept
  /// before that rule is cut here, so no replayed line is longer than 512 bytes either.
  static func replayed(_ entry: HistoryEntry) -> IRCMessage {
    var tags = [
      IRCTag("time", ServerTime.format(milliseconds: entry.timeMilliseconds)),
      IRCTag("msgid", entry.msgid),
    ]
    if let account = entry.account { tags.append(IRCTag("account", account)) }
    tags.append(contentsOf: entry.clientTags)
    let message = IRCMessage(
      tags: tags, source: entry.source, command: entry.command, params: entry.params)
    return cutCommands.contains(entry.command) ? message.cutToFit() : message
  }

  /// The commands whose last parameter is free text, cut to fit when relayed or replayed.
  static let cutCommands: Set<String> = ["PRIVMSG", "NOTICE", "TOPIC", "PART", "QUIT", "KICK"]
}
