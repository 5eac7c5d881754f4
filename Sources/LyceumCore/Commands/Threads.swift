import LyceumProtocol

/// Research threads (`lyceum.chat/threads`, see `HistoryThread` and protocol/EXTENSIONS.md).
extension IRCServerCore {
  /// `THREADS <target> [<ref>|*] [<limit>]`: the target's threads, newest activity first, in a
  /// `lyceum.chat/threads` batch; `<ref>` pages on (`timestamp=`: activity older than that
  /// time; `msgid=`: the threads listed after the thread with that root).
  ///
  /// Who may read what, the limit and the errors are `CHATHISTORY`'s (`FAIL THREADS …`).
  func handleThreads(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    func invalid(_ description: String) {
      replies.standardReply(
        .fail, command: "THREADS", code: "INVALID_PARAMS", context: [params.first ?? "*"],
        description: description)
    }
    guard !params.isEmpty else { return invalid("Missing parameters") }
    guard params.count <= 3 else { return invalid("Too many parameters") }
    var rest = params.dropFirst()
    // A lone second parameter is the limit when it is a number, else the reference.
    var limitText: String? = nil
    if let last = rest.last, rest.count == 2 || Int(last) != nil {
      limitText = last
      rest = rest.dropLast()
    }
    var before: HistoryReference? = nil
    if let text = rest.first, text != "*" {
      guard let reference = Self.historyReference(text) else {
        return invalid("Invalid message reference")
      }
      before = reference
    }
    guard let limit = historyLimit(limitText ?? "0") else { return invalid("Invalid limit") }
    guard let (target, name) = readableHistoryTarget(params[0], for: client) else {
      return replies.standardReply(
        .fail, command: "THREADS", code: "INVALID_TARGET", context: [params[0]],
        description: "Messages could not be retrieved")
    }
    requestHistory(
      .threads(target, before: before, limit: limit), subcommand: "THREADS", target: name,
      command: "THREADS", batchType: "lyceum.chat/threads", batchParams: [name], message,
      &replies)
  }

  /// `THREAD <target> <root-msgid> LATEST|BEFORE|AFTER|AROUND|BETWEEN <ref> [<ref>] <limit>`:
  /// one thread's messages (its root, then its replies), selected as `CHATHISTORY` selects a
  /// target's, in a `lyceum.chat/thread <target> <root-msgid>` batch. The msgid of a reply
  /// stands for its thread.
  func handleThread(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    func invalid(_ description: String) {
      replies.standardReply(
        .fail, command: "THREAD", code: "INVALID_PARAMS", context: [params.first ?? "*"],
        description: description)
    }
    guard params.count >= 3 else { return invalid("Missing parameters") }
    let subcommand = params[2].uppercased()
    guard ["LATEST", "BEFORE", "AFTER", "AROUND", "BETWEEN"].contains(subcommand) else {
      return invalid("Unknown subcommand")
    }
    let count = subcommand == "BETWEEN" ? 6 : 5
    guard params.count == count else {
      return invalid(params.count < count ? "Missing parameters" : "Too many parameters")
    }
    guard let limit = historyLimit(params[count - 1]) else { return invalid("Invalid limit") }
    guard let selector = Self.historySelector(subcommand, params[3..<count - 1]) else {
      return invalid("Invalid message reference")
    }
    let root = params[1].hasPrefix("msgid=") ? String(params[1].dropFirst(6)) : params[1]
    guard !root.isEmpty, !root.contains(" ") else { return invalid("Invalid root msgid") }
    guard let (target, name) = readableHistoryTarget(params[0], for: client) else {
      return replies.standardReply(
        .fail, command: "THREAD", code: "INVALID_TARGET", context: [params[0], params[1]],
        description: "Messages could not be retrieved")
    }
    let query = HistoryQuery(
      target: target, selector: selector, limit: limit,
      messagesOnly: !replies.session.capabilities.contains(.eventPlayback))
    requestHistory(
      .threadEntries(root: root, query), subcommand: subcommand, target: name,
      command: "THREAD", batchType: "lyceum.chat/thread", batchParams: [name, root], message,
      &replies)
  }
}

extension IRCServerCore {
  /// A `lyceum.chat/threads <target>` batch: per thread, newest activity first,
  /// `THREADS <target> <root-msgid> <root-time> <root-nick> <replies> <last-activity>
  /// <participants> :<root text>`; `<participants>` is comma-separated, ending with `+N` when
  /// N more took part. The root text is cut so that the line fits 512 bytes.
  func replayThreads(_ threads: [HistoryThread], target: String, _ replies: inout Replies) {
    let lines = threads.map { thread in
      let root = thread.root
      var participants = thread.participants
      if thread.participantCount > participants.count {
        participants.append("+\(thread.participantCount - participants.count)")
      }
      let nick = String(root.source.prefix { $0 != "!" })
      let text = root.command == "TAGMSG" ? "" : (root.params.dropFirst().last ?? "")
      return IRCMessage(
        source: configuration.serverName, command: "THREADS",
        params: [
          target, root.msgid, ServerTime.format(milliseconds: root.timeMilliseconds), nick,
          String(thread.replyCount), ServerTime.format(milliseconds: thread.lastMilliseconds),
          participants.isEmpty ? "*" : participants.joined(separator: ","), text,
        ]
      ).cutToFit()
    }
    appendBatch(type: "lyceum.chat/threads", [target], lines, &replies)
  }
}
