import LyceumProtocol

/// A channel whose last messages a `JOIN` replays: its name as shown, and its folded name.
struct JoinReplayChannel: Equatable {
  var name: String
  var foldedName: String
}

/// Replay on join: a session without `draft/chathistory` that joins a channel is shown the
/// channel's last `limits.replayOnJoin` `PRIVMSG` and `NOTICE` lines after its JOIN burst,
/// clearly marked as history, so that a plain client (netcat, an old bot library) joins a
/// conversation rather than a silence.
///
/// The lines are read like `CHATHISTORY` (a `CoreEvent.history` of kind `.replay`), and the
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
    let session = replies.session
    let limit = configuration.limits.replayOnJoin
    guard configuration.historyEnabled, limit > 0, !joined.isEmpty,
      !session.capabilities.contains(.chathistory), session.pendingHistoryRequest == nil
    else { return }
    let end = HistoryReference.timestamp(clock.wallClockMilliseconds() + 1)
    let queries = joined.map {
      HistoryQuery(
        target: .channel($0.foldedName), selector: .before(end), limit: limit, messagesOnly: true)
    }
    historyRequestCounter += 1
    let id = historyRequestCounter
    var pending = PendingHistoryRequest(
      id: id, label: labelIfApplicable(message, session: session), subcommand: "JOIN",
      target: nil)
    pending.replay = joined.map { JoinReplayChannel(name: $0.name, foldedName: $0.foldedName) }
    if pending.label != nil {
      pending.heldReplies = replies.takeMessages()
      replies.labelDeferred = true
    }
    session.pendingHistoryRequest = pending
    outbox.events.append(
      .history(HistoryRequest(connection: session.id, id: id, kind: .replay(queries))))
  }

  /// Formats the answer: for each channel with history, in the order joined,
  /// `NOTICE <chan> :--- Last N messages of <chan> ---`, the lines (with `time=` for
  /// `server-time` sessions, in a `chathistory` batch for `batch` sessions, else with a
  /// `[YYYY-MM-DD hh:mm] ` UTC prefix on the text, cut again to fit 512 bytes), then `NOTICE <chan> :--- End of history ---`.
  /// A channel with no messages gets nothing.
  func replayOnJoin(
    _ entries: [HistoryEntry], channels: [JoinReplayChannel], _ replies: inout Replies
  ) {
    let stampText = !replies.session.capabilities.contains(.serverTime)
    let byTarget = Dictionary(grouping: entries.filter { !$0.isEvent }, by: \.target)
    for channel in channels {
      guard let list = byTarget[.channel(channel.foldedName)], !list.isEmpty else { continue }
      let count = list.count == 1 ? "Last message" : "Last \(list.count) messages"
      replies.send(replayNotice(channel.name, "--- \(count) of \(channel.name) ---"))
      let capabilities = replies.session.capabilities
      let lines = list.flatMap { entry in
        replayedLines(entry, for: capabilities).map { line in
          guard stampText, line.command != "BATCH", line.params.count >= 2 else { return line }
          var line = line
          line.params[line.params.count - 1] = Self.stamped(
            line.params[line.params.count - 1], at: entry.timeMilliseconds)
          // The stamp makes the text longer than it was relayed: cut again to fit 512 bytes.
          return line.cutToFit()
        }
      }
      appendBatch(type: "chathistory", [channel.name], lines, &replies)
      replies.send(replayNotice(channel.name, "--- End of history ---"))
    }
  }

  private func replayNotice(_ channel: String, _ text: String) -> IRCMessage {
    IRCMessage(source: configuration.serverName, command: "NOTICE", params: [channel, text])
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
