import LyceumProtocol

extension IRCSession {
  /// The root of the thread a line belongs to: its parent's root when the parent is itself a
  /// reply we know, else the parent (the server flattens chains the same way).
  func resolveThreadRoot(_ line: BufferLine, in key: BufferKey) -> String? {
    guard let parent = line.replyTo else { return nil }
    if let known = buffers[key]?.line(msgid: parent), let root = known.threadRoot {
      return root
    }
    return parent
  }

  /// A reply arrived (live or from history): count it under its root in the room, and show it
  /// in the thread's view when that is open.
  mutating func noteReply(_ line: BufferLine, root: String, target: String, key: BufferKey) {
    guard line.kind != .status else { return }
    buffers.update(key) { buffer in
      var summary =
        buffer.threads[root] ?? ThreadSummary(root: root, replyCount: 0, lastActivity: 0)
      summary.replyCount += 1
      summary.lastActivity = max(summary.lastActivity, line.time)
      buffer.threads[root] = summary
    }
    let threadKey = BufferKey(target: target, root: root)
    buffers.update(threadKey) { $0.insert(line) }
  }

  /// Opens the thread view of the message `root` in `target` and fetches it with `THREAD`.
  public mutating func openThread(target: String, root: String) -> [SessionEvent] {
    let key = BufferKey(target: target, root: root)
    buffers.open(key, name: target, kind: .thread(root: root))
    buffers.activate(key)
    // What the room already holds shows at once; the server's answer completes it.
    let roomKey = BufferKey(target: target)
    if let room = buffers[roomKey] {
      let known = room.lines.filter { $0.msgid == root || $0.threadRoot == root }
      buffers.update(key) { thread in
        for line in known { thread.insert(line) }
      }
    }
    guard historyAvailable, isRegistered else { return [] }
    return [.send("THREAD \(target) \(root) LATEST * \(pageSize)")]
  }

  /// A `lyceum.chat/thread` batch: the root and replies of one thread.
  mutating func applyThread(_ batch: OpenBatch, now: Int64, _ out: inout [SessionEvent]) {
    guard batch.params.count >= 2 else { return }
    let target = batch.params[0]
    let root =
      batch.params[1].hasPrefix("msgid=")
      ? String(batch.params[1].dropFirst(6)) : batch.params[1]
    let key = BufferKey(target: target, root: root)
    buffers.open(key, name: target, kind: .thread(root: root))
    for message in batch.lines {
      let command = message.uppercasedCommand
      guard command == "PRIVMSG" || command == "NOTICE" else { continue }
      var line = chatLine(message, now: now)
      if line.msgid != root { line.threadRoot = root }
      buffers.update(key) { $0.insert(line) }
    }
    buffers.update(key) { $0.history.reachedStart = true }
    out.append(.historyLoaded(target: target, count: batch.lines.count))
  }

  /// A `lyceum.chat/threads` batch: the room's threads, newest activity first, shown as a
  /// numbered list so that `/thread N` can open one.
  mutating func applyThreadList(_ batch: OpenBatch, now: Int64) {
    guard let target = batch.params.first else { return }
    let key = BufferKey(target: target)
    var listing: [ThreadSummary] = []
    for message in batch.lines where message.params.count >= 8 {
      let p = message.params
      let summary = ThreadSummary(
        root: p[1], replyCount: Int(p[4]) ?? 0,
        lastActivity: parseServerTime(p[5]) ?? 0, rootSender: p[3], rootText: p[7],
        participants: p[6].split(separator: ",").map(String.init))
      listing.append(summary)
      buffers.update(key) { buffer in
        var merged = summary
        if let known = buffer.threads[p[1]] {
          merged.replyCount = max(known.replyCount, merged.replyCount)
        }
        buffer.threads[p[1]] = merged
      }
    }
    threadListings[key] = listing
    let shown = buffers[key] == nil ? BufferKey.server : key
    if listing.isEmpty {
      status(
        "No threads in \(target) yet. Reply to a message with /reply to start one.", now: now,
        in: shown)
      return
    }
    status(
      "Threads in \(target), newest activity first (/thread N opens one):", now: now, in: shown)
    for (index, thread) in listing.enumerated() {
      let replies = thread.replyCount == 1 ? "1 reply" : "\(thread.replyCount) replies"
      let last = String(
        formatServerTime(thread.lastActivity).prefix(16).map { $0 == "T" ? " " : $0 })
      status(
        "  \(index + 1). <\(thread.rootSender)> \(thread.rootText.prefix(60)) — \(replies), last \(last)",
        now: now, in: shown)
    }
  }
}
