import LyceumProtocol

extension IRCSession {
  /// One slash command (see `UserCommand.all`). Unknown commands are sent as they are, as
  /// other clients do, so server commands (`/oper`, `/room`) work without the client knowing
  /// them.
  mutating func command(_ name: String, _ rest: String, now: Int64) -> [SessionEvent] {
    let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let active = buffers.active
    let activeTarget = active.kind == .server ? nil : active.name
    func usage() -> [SessionEvent] {
      let entry = UserCommand.all.first { $0.name == name }
      status("Usage: /\(name) \(entry?.arguments ?? "")", now: now, kind: .error)
      return []
    }
    switch name {
    case "join", "j":
      guard let channel = words.first else { return usage() }
      let room = Self.isChannel(channel) ? channel : "#" + channel
      pendingFocus = room
      if buffers[BufferKey(target: room)]?.isJoined == true {
        return activate(BufferKey(target: room))
      }
      return [.send("JOIN \(room)\(words.count > 1 ? " " + words[1] : "")")]
    case "part", "leave":
      var target = activeTarget
      var reason = rest
      if let first = words.first, Self.isChannel(first) {
        target = first
        reason = String(rest.dropFirst(first.count).drop { $0 == " " })
      }
      guard let target, Self.isChannel(target) else { return usage() }
      return [.send("PART \(target)" + (reason.isEmpty ? "" : " :\(reason)"))]
    case "msg", "query", "q":
      guard let who = words.first else { return usage() }
      let text = String(rest.dropFirst(who.count).drop { $0 == " " })
      // The conversation with a person is named by their account when it is known.
      let name = Self.isChannel(who) ? who : accountOfNick[Self.caseMapping.fold(who)] ?? who
      let key = BufferKey(target: name)
      buffers.open(key, name: name, kind: Self.isChannel(name) ? .channel : .direct)
      var out = activate(key)
      if !text.isEmpty { out += message(to: who, text: text, replyTo: nil, now: now) }
      return out
    case "me":
      guard let target = activeTarget, !rest.isEmpty else { return usage() }
      var replyTo: String?
      if case .thread(let root) = active.kind { replyTo = root }
      return message(to: target, text: rest, replyTo: replyTo, action: true, now: now)
    case "reply":
      return reply(words, rest, now: now) ?? usage()
    case "redact", "delete":
      return redactCommand(words, rest, now: now)
    case "react":
      return reactCommand(words, now: now) ?? usage()
    case "thread":
      return thread(words.first, now: now)
    case "threads":
      guard let target = activeTarget else { return usage() }
      return [.send("THREADS \(target) * 20")]
    case "list":
      return listCommand(words)
    case "knock":
      return knockCommand(words, rest) ?? usage()
    case "search":
      guard !rest.isEmpty else { return usage() }
      return search(rest, now: now)
    case "goto":
      return goToResult(words.first, now: now)
    case "topic", "t":
      guard let target = activeTarget, Self.isChannel(target) else { return usage() }
      return [.send(rest.isEmpty ? "TOPIC \(target)" : "TOPIC \(target) :\(rest)")]
    case "whois", "wi":
      guard let who = words.first ?? (active.kind == .direct ? active.name : nil) else {
        return usage()
      }
      return [.send("WHOIS \(who)")]
    case "names":
      guard let target = activeTarget, Self.isChannel(target) else { return usage() }
      let members = active.members.values.map { $0.prefixes.prefix(1) + $0.nick }.sorted()
      status(
        "\(members.count) in \(target): \(members.joined(separator: " "))", now: now,
        in: buffers.activeKey)
      return []
    case "nick":
      guard let newNick = words.first else { return usage() }
      configuration.nick = newNick
      return [.send("NICK \(newNick)")]
    case "away":
      return [.send(rest.isEmpty ? "AWAY" : "AWAY :\(rest)")]
    case "invite":
      guard let who = words.first, let room = words.dropFirst().first ?? activeTarget else {
        return usage()
      }
      return [.send("INVITE \(who) \(room)")]
    case "kick":
      guard let who = words.first, let target = activeTarget, Self.isChannel(target) else {
        return usage()
      }
      let reason = String(rest.dropFirst(who.count).drop { $0 == " " })
      return [.send("KICK \(target) \(who)" + (reason.isEmpty ? "" : " :\(reason)"))]
    case "mode":
      guard let target = activeTarget else { return usage() }
      return [.send("MODE \(target) \(rest)")]
    case "close":
      let key = buffers.activeKey
      var out: [SessionEvent] = []
      if key.root == nil, active.kind == .channel, active.isJoined {
        out.append(.send("PART \(active.name)"))
      }
      buffers.remove(key)
      // Closing a thread view returns to its room.
      if key.root != nil { buffers.activate(BufferKey(target: active.name)) }
      return out
    case "clear":
      buffers.update(buffers.activeKey) { $0.clearLines() }
      return []
    case "quote", "raw":
      guard !rest.isEmpty else { return usage() }
      return [.send(rest)]
    case "help", "h":
      status("Commands:", now: now, in: buffers.activeKey)
      for entry in UserCommand.all {
        status(
          "  /\(entry.name) \(entry.arguments) — \(entry.help)", now: now, in: buffers.activeKey)
      }
      return []
    case "quit", "exit":
      return [.send(rest.isEmpty ? "QUIT" : "QUIT :\(rest)")]
    default:
      return [.send(rest.isEmpty ? name.uppercased() : "\(name.uppercased()) \(rest)")]
    }
  }

  /// `/reply N|msgid text`: N counts messages back from the newest (1 = the last one).
  mutating func reply(_ words: [String], _ rest: String, now: Int64) -> [SessionEvent]? {
    let active = buffers.active
    guard words.count >= 2, active.kind != .server else { return nil }
    let text = String(rest.dropFirst(words[0].count).drop { $0 == " " })
    guard let parent = messageReference(words[0], in: active) else {
      status("No message \(words[0]) here", now: now, kind: .error)
      return []
    }
    return message(to: active.name, text: text, replyTo: parent, now: now)
  }

  /// `/thread [N|msgid]`: N from the last `/threads` list; none opens the newest thread.
  mutating func thread(_ reference: String?, now: Int64) -> [SessionEvent] {
    let active = buffers.active
    guard active.kind == .channel || active.kind == .direct else {
      status("Open a thread from a room", now: now, kind: .error)
      return []
    }
    var root: String?
    if let reference {
      if let number = Int(reference), let listing = threadListings[buffers.activeKey],
        number >= 1, number <= listing.count
      {
        root = listing[number - 1].root
      } else {
        root = messageReference(reference, in: active)
      }
    } else {
      root = active.threads.values.max { $0.lastActivity < $1.lastActivity }?.root
    }
    guard let root else {
      status("No such thread here (try /threads)", now: now, kind: .error)
      return []
    }
    return openThread(target: active.name, root: root)
  }

  /// A message named by how far back it is (`1` = the newest message) or by msgid (a prefix
  /// of at least 4 characters is enough).
  func messageReference(_ text: String, in buffer: ChatBuffer) -> String? {
    // Counted as the room shows them: replies folded under a root the room holds are not.
    var isThread = false
    if case .thread = buffer.kind { isThread = true }
    let messages = buffer.lines.filter {
      $0.msgid != nil && ($0.kind == .message || $0.kind == .action || $0.kind == .notice)
        && (isThread || $0.threadRoot.map { !buffer.contains(msgid: $0) } ?? true)
    }
    if let number = Int(text), number >= 1, number <= messages.count {
      return messages[messages.count - number].msgid
    }
    let id = text.hasPrefix("msgid=") ? String(text.dropFirst(6)) : text
    if buffer.contains(msgid: id) { return id }
    guard id.count >= 4 else { return nil }
    return messages.last { $0.msgid!.hasPrefix(id) }?.msgid
  }
}
