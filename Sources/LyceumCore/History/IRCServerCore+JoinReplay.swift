import LyceumProtocol

/// A target a catch-up replay shows: its name as the client sees it (a channel, or the other
/// account of a direct conversation), its history, and the read marker it is replayed after.
struct ReplayTarget: Equatable {
  var name: String
  var target: HistoryTarget
  var readUpTo: Int64?
}

/// Replay on join: a session without `draft/chathistory` that joins a channel is shown the
/// channel's messages after its JOIN burst, clearly marked as history, so that a plain client
/// (netcat, an old bot library, WeeChat) joins a conversation rather than a silence: a guest
/// the last `limits.replayOnJoin` `PRIVMSG` and `NOTICE` lines, a logged-in client those after
/// its account's read marker, at most as many, with a line saying how many earlier unread ones
/// were left out.
///
/// The lines are read like `CHATHISTORY` (a `CoreEvent.history` of kind `.catchUp`), and the
/// session's further input waits for the answer, so the replay comes before anything the
/// client does next. Only the session that sent the `JOIN` gets it.
extension IRCServerCore {
  /// Raises one read for the channels `JOIN` just joined, when the session wants a replay:
  /// history on, `replayOnJoin > 0`, no `draft/chathistory` (such clients fetch their own). A
  /// labelled `JOIN`'s replies are held back to go out with the replay in one labelled batch.
  ///
  /// The read stops at the JOIN's time: a message sent after it reaches the session live and
  /// is not repeated.
  func requestJoinReplay(of joined: [Channel], _ message: IRCMessage, _ replies: inout Replies) {
    let client = replies.session.client
    let targets = joined.map { channel in
      ReplayTarget(
        name: channel.name, target: .channel(channel.foldedName),
        readUpTo: client.account == nil
          ? nil : readMarker(for: client, target: channel.foldedName))
    }
    requestCatchUp(targets, activeOnly: nil, label: message, &replies)
  }

  /// Raises a catch-up read of `targets` for the session of `replies`, when it wants one (see
  /// `requestJoinReplay`). `label`: the command whose `label` the answer carries, if any.
  func requestCatchUp(
    _ targets: [ReplayTarget], activeOnly: Int?, label message: IRCMessage?,
    _ replies: inout Replies
  ) {
    let session = replies.session
    let limit = configuration.limits.replayOnJoin
    guard configuration.historyEnabled, limit > 0, !targets.isEmpty,
      !session.capabilities.contains(.chathistory), session.pendingHistoryRequest == nil
    else { return }
    // Unread lines are counted from the history floor at the earliest: the count must not
    // tell how much an ended channel of the same name (or a deleted account) had said.
    let request = CatchUpRequest(
      targets: targets.map { item in
        let floor = historyFloor(item.target)
        return .init(
          target: item.target,
          readUpTo: item.readUpTo.map { max($0, floor == .min ? .min : floor - 1) },
          limit: unreadAnnouncementLimit(item, replay: limit))
      },
      end: clock.wallClockMilliseconds() + 1, limit: limit, activeOnly: activeOnly)
    historyRequestCounter += 1
    let id = historyRequestCounter
    var pending = PendingHistoryRequest(
      id: id, label: message.flatMap { labelIfApplicable($0, session: session) },
      subcommand: message?.command ?? "CATCHUP", target: nil)
    pending.replay = targets
    if pending.label != nil {
      pending.heldReplies = replies.takeMessages()
      replies.labelDeferred = true
    }
    session.pendingHistoryRequest = pending
    outbox.events.append(
      .history(HistoryRequest(connection: session.id, id: id, kind: .catchUp(request))))
  }

  /// Formats the answer, for each target with messages, in the order asked: a line saying how
  /// many earlier unread messages were left out (when some were), a header, the lines (with
  /// `time=` for `server-time` sessions, in a `chathistory` batch for `batch` sessions, else
  /// with a `[YYYY-MM-DD hh:mm] ` UTC prefix on the text, cut again to fit 512 bytes), and an
  /// end line; all are `NOTICE`s from the server to the channel, or to the client for a direct
  /// conversation. A target with nothing to show gets nothing.
  ///
  /// A logged-in session without `draft/read-marker` cannot say what it read, so what it was
  /// shown counts as read: the account's marker moves to the newest line replayed.
  func replayCatchUp(
    _ entries: [HistoryEntry], skipped: [HistoryTarget: Int], targets: [ReplayTarget],
    _ replies: inout Replies
  ) {
    let session = replies.session
    let stampText = !session.capabilities.contains(.serverTime)
    let byTarget = Dictionary(grouping: entries.filter { !$0.isEvent }, by: \.target)
    for item in targets {
      guard let list = byTarget[item.target], let newest = list.last else { continue }
      let texts = Self.catchUpTexts(item, shown: list.count, skipped: skipped[item.target] ?? 0)
      let noticeTarget = isChannel(item.target) ? item.name : session.client.displayNick
      if let skippedText = texts.skipped {
        replies.send(replayNotice(noticeTarget, skippedText))
      }
      replies.send(replayNotice(noticeTarget, texts.header))
      let own = session.client.account?.foldedName
      let capabilities = session.capabilities
      let lines = list.flatMap { entry in
        replayedLines(entry, for: capabilities).map { line in
          var line = line
          if !isChannel(item.target), entry.account.map(fold) != own {
            // Sent to the nick the reader had then: the message's target, or a multiline
            // batch's (`BATCH +id draft/multiline <target>`).
            let index = line.command == "BATCH" ? 2 : 0
            if line.params.count > index { line.params[index] = session.client.displayNick }
          }
          guard stampText, line.command != "BATCH", line.params.count >= 2 else { return line }
          line.params[line.params.count - 1] = Self.stamped(
            line.params[line.params.count - 1], at: entry.timeMilliseconds)
          // The stamp makes the text longer than it was relayed: cut again to fit 512 bytes.
          return line.cutToFit()
        }
      }
      appendBatch(type: "chathistory", [item.name], lines, &replies)
      replies.send(replayNotice(noticeTarget, texts.end))
      markShownAsRead(item, upTo: newest.timeMilliseconds, session)
    }
  }

  /// The notices around one target's replay: the line on left-out unread messages, the header
  /// and the end.
  static func catchUpTexts(_ item: ReplayTarget, shown: Int, skipped: Int) -> (
    skipped: String?, header: String, end: String
  ) {
    let messages = { (count: Int) in count == 1 ? "1 message" : "\(count) messages" }
    let unread = { (count: Int) in count == 1 ? "1 unread message" : "\(count) unread messages" }
    let place =
      if case .channel = item.target { "of \(item.name)" } else { "with \(item.name)" }
    let skippedText =
      skipped > 0
      ? "--- \(skipped) earlier unread \(skipped == 1 ? "message" : "messages") \(place) not shown ---"
      : nil
    let header =
      if item.readUpTo == nil {
        shown == 1 ? "--- Last message \(place) ---" : "--- Last \(messages(shown)) \(place) ---"
      } else if skipped > 0 {
        "--- Last \(shown) of \(unread(shown + skipped)) \(place) ---"
      } else {
        "--- \(unread(shown)) \(place) ---"
      }
    return (skippedText, header, "--- End of history ---")
  }

  /// The per-target line limit of an `announcements` room read after a marker: every unread
  /// announcement up to `limits.unreadAnnouncements` (never fewer than the replay's own
  /// limit). Nil for every other target, which keeps the request's `replay-on-join` limit.
  /// Without a marker (never read), the room replays its last lines like any other.
  private func unreadAnnouncementLimit(_ item: ReplayTarget, replay limit: Int) -> Int? {
    guard item.readUpTo != nil, case .channel(let folded) = item.target,
      channels[folded]?.kind == .announcements
    else { return nil }
    return max(limit, configuration.limits.unreadAnnouncements)
  }

  private func isChannel(_ target: HistoryTarget) -> Bool {
    if case .channel = target { return true }
    return false
  }

  /// Moves the account's marker to `time` after a replay to a session that cannot mark read.
  private func markShownAsRead(_ item: ReplayTarget, upTo time: Int64, _ session: Session) {
    let client = session.client
    guard client.account != nil, !session.capabilities.contains(.readMarker) else { return }
    let key: String
    switch item.target {
    case .channel(let folded): key = folded
    case .direct: key = fold(item.name)
    }
    advanceReadMarker(to: time, key: key, shownAs: item.name, for: client, except: session)
  }

  private func replayNotice(_ target: String, _ text: String) -> IRCMessage {
    IRCMessage(source: configuration.serverName, command: "NOTICE", params: [target, text])
  }

  /// `text` with a visible `[YYYY-MM-DD hh:mm] ` (UTC) in front; inside a CTCP `ACTION`, after
  /// the word `ACTION`, so that the action still shows as one.
  static func stamped(_ text: String, at milliseconds: Int64) -> String {
    let formatted = ServerTime.format(milliseconds: milliseconds)  // YYYY-MM-DDThh:mm:ss.sssZ
    let stamp = "[" + formatted.prefix(10) + " " + formatted.dropFirst(11).prefix(5) + "] "
    let action = "\u{1}ACTION "
    if text.hasPrefix(action) { return action + stamp + text.dropFirst(action.count) }
    return stamp + text
  }
}
