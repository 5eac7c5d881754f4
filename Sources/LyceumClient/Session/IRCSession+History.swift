import LyceumProtocol

extension IRCSession {
  /// Whether the server keeps history (it offered `draft/chathistory`).
  public var historyAvailable: Bool { offeredCapabilities["draft/chathistory"] != nil }

  /// Catch up a buffer: `AFTER` its newest line when it has one (a reconnect's gap, paged
  /// until complete), else the `LATEST` page (a first visit).
  mutating func requestCatchUp(target: String, _ out: inout [SessionEvent]) {
    let key = BufferKey(target: target)
    guard let buffer = buffers[key] else { return }
    // From the newest kept message; a buffer holding only events (a join, a mode) starts
    // from the time of its newest line instead.
    let reference =
      buffer.newestMsgid.map { "msgid=\($0)" }
      ?? buffer.lines.last(where: { $0.msgid != nil }).map {
        "timestamp=\(formatServerTime($0.time - 1))"
      }
    if let reference {
      guard !buffer.history.isFillingGap else { return }
      buffers.update(key) { $0.history.isFillingGap = true }
      requestHistory(target, "AFTER", reference, .after(limit: pageSize), &out)
    } else {
      guard !buffer.history.isLoadingOlder else { return }
      buffers.update(key) {
        $0.history.isLoadingOlder = true
        $0.history.hasFetchedLatest = true
      }
      requestHistory(target, "LATEST", "*", .latest(limit: pageSize), &out)
    }
  }

  /// Asks for the page before the oldest line of the buffer on screen (scrolling past the
  /// top). Does nothing while a page is on its way or when the start has been reached.
  public mutating func requestOlderHistory() -> [SessionEvent] {
    var out: [SessionEvent] = []
    let key = buffers.activeKey
    guard historyAvailable, isRegistered, key.root == nil, let buffer = buffers[key],
      buffer.kind == .channel || buffer.kind == .direct,
      !buffer.history.reachedStart, !buffer.history.isLoadingOlder
    else { return out }
    buffers.update(key) { $0.history.isLoadingOlder = true }
    if let oldest = buffer.history.oldestEntry ?? buffer.oldestMsgid {
      requestHistory(buffer.name, "BEFORE", "msgid=\(oldest)", .before(limit: pageSize), &out)
    } else {
      requestHistory(buffer.name, "LATEST", "*", .latest(limit: pageSize), &out)
    }
    return out
  }

  mutating func requestHistory(
    _ target: String, _ subcommand: String, _ reference: String, _ request: HistoryRequest,
    _ out: inout [SessionEvent]
  ) {
    let limit: Int
    switch request {
    case .latest(let value), .before(let value), .after(let value): limit = value
    }
    pendingHistory[Self.caseMapping.fold(target), default: []].append(request)
    out.append(.send("CHATHISTORY \(subcommand) \(target) \(reference) \(limit)"))
  }

  /// A `chathistory` batch ended: merge its lines (no msgid twice) and page on if needed.
  mutating func applyHistory(_ batch: OpenBatch, now: Int64, _ out: inout [SessionEvent]) {
    guard let target = batch.params.first else { return }
    let folded = Self.caseMapping.fold(target)
    let request =
      pendingHistory[folded]?.isEmpty == false
      ? pendingHistory[folded]!.removeFirst() : nil
    let key = BufferKey(target: target)
    buffers.open(key, name: target, kind: Self.isChannel(target) ? .channel : .direct)
    var count = 0
    for message in batch.lines {
      let command = message.uppercasedCommand
      // With `draft/event-playback` a page also holds events: reactions and deletions apply
      // to the messages they name; joins, parts and the like are not shown.
      if command == "TAGMSG" { handleTagMessage(message, now: now) }
      if command == "REDACT" { handleRedact(message, now: now) }
      guard command == "PRIVMSG" || command == "NOTICE" else { continue }
      count += 1
      var line = chatLine(message, now: now)
      line.threadRoot = resolveThreadRoot(line, in: key)
      var added = false
      buffers.update(key) { added = $0.insert(line) }
      if added, let root = line.threadRoot {
        noteReply(line, root: root, target: target, key: key)
      }
    }
    // The server's limit counts every entry of the page, events included, and the next page
    // goes on from the page's first (or last) entry, whatever its kind.
    let entries = batch.lines.count
    let entryIDs = batch.lines.compactMap { $0.tag("msgid") ?? nil }
    switch request {
    case .latest(let limit), .before(let limit):
      buffers.update(key) {
        $0.history.isLoadingOlder = false
        if entries < limit { $0.history.reachedStart = true }
        if let first = entryIDs.first { $0.history.oldestEntry = first }
      }
      continueJump(key, now: now, &out)
    case .after(let limit):
      if entries >= limit, let lastMsgid = entryIDs.last {
        requestHistory(target, "AFTER", "msgid=\(lastMsgid)", .after(limit: limit), &out)
      } else {
        buffers.update(key) { $0.history.isFillingGap = false }
      }
    case nil:
      break
    }
    out.append(.historyLoaded(target: target, count: count))
  }

  /// A `FAIL CHATHISTORY|THREAD …` ends the request it answers.
  mutating func finishFailedHistory(_ message: IRCMessage) {
    // FAIL CHATHISTORY <code> <subcommand> [<target>] :text — the target may be missing
    // (INVALID_PARAMS, a MESSAGE_ERROR without one): then no request can be matched, and all
    // are given up rather than left "loading" with their answers matched to the wrong ones.
    guard message.params.count >= 5 else {
      pendingHistory = [:]
      for key in buffers.order {
        buffers.update(key) {
          $0.history.isLoadingOlder = false
          $0.history.isFillingGap = false
        }
      }
      return
    }
    let target = message.params[3]
    let folded = Self.caseMapping.fold(target)
    if pendingHistory[folded]?.isEmpty == false { pendingHistory[folded]!.removeFirst() }
    buffers.update(BufferKey(target: target)) {
      $0.history.isLoadingOlder = false
      $0.history.isFillingGap = false
    }
  }

  /// `CHATHISTORY TARGETS`: open a buffer for each direct conversation and fetch it.
  mutating func applyTargets(_ batch: OpenBatch, now: Int64, _ out: inout [SessionEvent]) {
    for message in batch.lines where message.params.count >= 2 {
      let name = message.params[1]
      guard !Self.isChannel(name) else { continue }
      let key = BufferKey(target: name)
      if buffers[key] == nil {
        buffers.open(key, name: name, kind: .direct)
        if enabledCapabilities.contains("draft/read-marker") {
          out.append(.send("MARKREAD \(name)"))
        }
        requestCatchUp(target: name, &out)
      }
    }
  }
}
