import LyceumProtocol

extension IRCSession {
  /// The buffer a `PRIVMSG`/`NOTICE` belongs in: the channel, or the other party of a direct
  /// message (our own echoed messages go to their target's buffer). Nil for server notices
  /// before registration, which go to the server buffer.
  func conversationTarget(of message: IRCMessage) -> String? {
    guard let target = message.params.first else { return nil }
    let bare = String(target.drop { "~&@%+".contains($0) && !Self.isChannel(String($0)) })
    if Self.isChannel(bare) { return bare }
    // A server (no `nick!user@host`) talking to us, or to `*` before registration.
    guard let source = message.source, source.contains("!") else { return nil }
    let sender = sourceNick(message)
    let peer = isSelf(sender) ? bare : sender
    // A conversation is with a person: named by their account when known (as the server's
    // history names it), so a nick change or a second nick does not split it in two.
    return accountOfNick[Self.caseMapping.fold(peer)] ?? peer
  }

  /// Notes which account a nick is logged in to (from `account` tags, extended joins and
  /// `WHOIS`), for naming conversations and for sending to an account's current nick.
  mutating func noteAccount(_ account: String?, ofNick nick: String) {
    guard let account, account != "*", !nick.isEmpty else { return }
    if accountOfNick.count > 10_000 { accountOfNick.removeAll() }
    accountOfNick[Self.caseMapping.fold(nick)] = account
    nickOfAccount[Self.caseMapping.fold(account)] = nick
  }

  /// Where to send a message for the conversation named `name`: the current nick of that
  /// account when it is known, else the name itself (a nick, or an account whose nick is it).
  func deliveryTarget(for name: String) -> String {
    guard !Self.isChannel(name) else { return name }
    return nickOfAccount[Self.caseMapping.fold(name)] ?? name
  }

  /// The line for a membership or channel event, with the message's time and msgid.
  func event(
    _ message: IRCMessage, now: Int64, sender: String, kind: BufferLine.Kind, text: String
  ) -> BufferLine {
    BufferLine(
      msgid: message.tag("msgid") ?? nil, time: time(of: message, now: now), sender: sender,
      kind: kind, text: text)
  }

  /// The buffer line for a `PRIVMSG`/`NOTICE` (live or from history).
  func chatLine(_ message: IRCMessage, now: Int64) -> BufferLine {
    var text = message.params.count > 1 ? message.params[1] : ""
    var kind: BufferLine.Kind = message.uppercasedCommand == "NOTICE" ? .notice : .message
    if text.hasPrefix("\u{01}ACTION ") {
      kind = .action
      text = String(text.dropFirst(8))
      if text.hasSuffix("\u{01}") { text.removeLast() }
    }
    let sender = sourceNick(message)
    let target = message.params.first ?? ""
    let reply = (message.tag("+reply") ?? message.tag("+draft/reply")) ?? nil
    let direct = !Self.isChannel(target)
    // Ours under any nick: the account says so (history keeps what we sent as `ada_` too).
    let senderAccount = message.tag("account") ?? nil
    let mine =
      isSelf(sender)
      || (account != nil && senderAccount.map { Self.caseMapping.equals($0, account!) } == true)
    // The server asks clients to notify for an announcement or an operator's @here
    // (`lyceum.chat/notify`): it counts, and rings, as a mention of our nick does.
    let notify = message.tag("lyceum.chat/notify") != nil
    return BufferLine(
      msgid: message.tag("msgid") ?? nil, time: time(of: message, now: now), sender: sender,
      account: message.tag("account") ?? nil, kind: kind, text: text, replyTo: reply,
      isBot: message.tag("bot") != nil, isSelf: mine,
      isHighlight: !mine && (direct || notify || mentionsUs(text)))
  }

  /// Whether `text` names our nick as a word (`ada:`, `@ada`, `thanks ada!`, not `adagio`).
  func mentionsUs(_ text: String) -> Bool {
    let me = Self.caseMapping.fold(nick)
    let words = Self.caseMapping.fold(text).split {
      !($0.isLetter || $0.isNumber || "_-[]{}\\|^`".contains($0))
    }
    return words.contains { $0 == me }
  }

  mutating func handleChat(
    _ message: IRCMessage, now: Int64, live: Bool, _ out: inout [SessionEvent]
  ) {
    if message.source?.contains("!") == true {
      noteAccount(message.tag("account") ?? nil, ofNick: sourceNick(message))
    }
    if isRoomDescription(message) { return noteRoomDescription(message) }
    guard let target = conversationTarget(of: message) else {
      let text = message.params.last ?? ""
      status(text, now: now)
      return
    }
    var line = chatLine(message, now: now)
    let key = BufferKey(target: target)
    buffers.open(key, name: target, kind: Self.isChannel(target) ? .channel : .direct)
    line.threadRoot = resolveThreadRoot(line, in: key)
    var added = false
    buffers.update(key) { added = $0.insert(line) }
    if added, let root = line.threadRoot {
      noteReply(line, root: root, target: target, key: key)
    }
    if live { lookUpProfile(of: line.sender, &out) }
  }

  /// Asks the server once per connection who a new speaker is (`WHOIS`, whose `320` carries
  /// role and institution), without showing the reply, so the message pane can name them.
  mutating func lookUpProfile(of nick: String, _ out: inout [SessionEvent]) {
    guard isRegistered, !nick.isEmpty, !isSelf(nick) else { return }
    let folded = Self.caseMapping.fold(nick)
    guard lookedUp.count < 500, lookedUp.insert(folded).inserted else { return }
    quietLookups.insert(folded)
    out.append(.send("WHOIS \(nick)"))
  }

  mutating func handleJoin(_ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]) {
    guard let channel = message.params.first else { return }
    let who = sourceNick(message)
    noteAccount(
      message.params.count > 1 ? message.params[1] : (message.tag("account") ?? nil), ofNick: who)
    let key = BufferKey(target: channel)
    if isSelf(who) {
      buffers.open(key, name: channel, kind: .channel)
      buffers.update(key) {
        $0.isJoined = true
        $0.isReceivingJoinBurst = true
        $0.members = [:]
      }
      if !wantedChannels.contains(where: { Self.caseMapping.equals($0, channel) }) {
        wantedChannels.append(channel)
      }
      if buffers.activeKey == .server
        || pendingFocus.map({ Self.caseMapping.equals($0, channel) }) == true
      {
        buffers.activate(key)
        pendingFocus = nil
      }
      if historyAvailable { requestCatchUp(target: channel, &out) }
    } else {
      let line = event(message, now: now, sender: who, kind: .join, text: "\(who) joined")
      buffers.update(key) { buffer in
        buffer.members[Self.caseMapping.fold(who)] = ChatBuffer.Member(nick: who, prefixes: "")
        buffer.insert(line)
      }
    }
  }

  mutating func handlePart(_ message: IRCMessage, now: Int64) {
    guard let channel = message.params.first else { return }
    let who = sourceNick(message)
    let key = BufferKey(target: channel)
    let reason = message.params.count > 1 ? " (\(message.params[1]))" : ""
    if isSelf(who) {
      wantedChannels.removeAll { Self.caseMapping.equals($0, channel) }
      buffers.update(key) {
        $0.isJoined = false
        $0.isReceivingJoinBurst = false
        $0.members = [:]
      }
    }
    let line = event(message, now: now, sender: who, kind: .part, text: "\(who) left\(reason)")
    buffers.update(key) { buffer in
      buffer.members[Self.caseMapping.fold(who)] = nil
      buffer.insert(line)
    }
  }

  mutating func handleKick(_ message: IRCMessage, now: Int64) {
    guard message.params.count >= 2 else { return }
    let channel = message.params[0]
    let victim = message.params[1]
    let key = BufferKey(target: channel)
    if isSelf(victim) {
      wantedChannels.removeAll { Self.caseMapping.equals($0, channel) }
      buffers.update(key) { $0.isJoined = false }
    }
    let reason = message.params.count > 2 ? " (\(message.params[2]))" : ""
    let kicker = sourceNick(message)
    let line = event(
      message, now: now, sender: kicker, kind: .kick, text: "\(kicker) removed \(victim)\(reason)")
    buffers.update(key) { buffer in
      buffer.members[Self.caseMapping.fold(victim)] = nil
      buffer.insert(line)
    }
  }

  mutating func handleQuit(_ message: IRCMessage, now: Int64) {
    let who = sourceNick(message)
    let folded = Self.caseMapping.fold(who)
    let reason = message.params.first.map { " (\($0))" } ?? ""
    let line = event(message, now: now, sender: who, kind: .quit, text: "\(who) quit\(reason)")
    for key in buffers.order {
      guard buffers[key]?.members[folded] != nil else { continue }
      buffers.update(key) { buffer in
        buffer.members[folded] = nil
        buffer.insert(line)
      }
    }
  }

  mutating func handleNick(_ message: IRCMessage, now: Int64) {
    guard let newNick = message.params.first else { return }
    let old = sourceNick(message)
    let folded = Self.caseMapping.fold(old)
    if isSelf(old) { nick = newNick }
    let line = event(message, now: now, sender: old, kind: .nick, text: "\(old) is now \(newNick)")
    for key in buffers.order {
      guard buffers[key]?.members[folded] != nil else { continue }
      buffers.update(key) { buffer in
        let prefixes = buffer.members[folded]?.prefixes ?? ""
        buffer.members[folded] = nil
        buffer.members[Self.caseMapping.fold(newNick)] = ChatBuffer.Member(
          nick: newNick, prefixes: prefixes)
        buffer.insert(line)
      }
    }
  }

  mutating func handleTopic(_ message: IRCMessage, now: Int64) {
    guard message.params.count >= 2 else { return }
    let key = BufferKey(target: message.params[0])
    let who = sourceNick(message)
    let line = event(
      message, now: now, sender: who, kind: .topic,
      text: "\(who) set the topic: \(message.params[1])")
    buffers.update(key) { buffer in
      buffer.topic = message.params[1]
      buffer.insert(line)
    }
  }

  mutating func handleMode(_ message: IRCMessage, now: Int64) {
    guard message.params.count >= 2, Self.isChannel(message.params[0]) else { return }
    let key = BufferKey(target: message.params[0])
    let modes = message.params.dropFirst().joined(separator: " ")
    let who = sourceNick(message)
    let changes = Self.prefixChanges(Array(message.params.dropFirst()))
    let line = event(message, now: now, sender: who, kind: .mode, text: "\(who) set mode \(modes)")
    buffers.update(key) { buffer in
      for change in changes {
        let folded = Self.caseMapping.fold(change.nick)
        guard var member = buffer.members[folded] else { continue }
        member.prefixes.removeAll { $0 == change.prefix }
        if change.adding {
          member.prefixes.append(change.prefix)
          member.prefixes = String(member.prefixes.sorted { Self.rank($0) < Self.rank($1) })
        }
        buffer.members[folded] = member
      }
      buffer.insert(line)
    }
  }

  /// The member prefix changes in a channel `MODE` (`+o ada`, `-v bob`); other letters only
  /// consume their arguments.
  static func prefixChanges(_ words: [String]) -> [(adding: Bool, prefix: Character, nick: String)]
  {
    guard let modes = words.first else { return [] }
    var arguments = words.dropFirst().makeIterator()
    var adding = true
    var result: [(adding: Bool, prefix: Character, nick: String)] = []
    let prefixes: [Character: Character] = ["q": "~", "a": "&", "o": "@", "h": "%", "v": "+"]
    for letter in modes {
      switch letter {
      case "+": adding = true
      case "-": adding = false
      case _ where prefixes[letter] != nil:
        if let nick = arguments.next() { result.append((adding, prefixes[letter]!, nick)) }
      case "b", "e", "I", "k": _ = arguments.next()
      case "l", "f", "j": if adding { _ = arguments.next() }
      default: break
      }
    }
    return result
  }

  /// Order of member prefixes, highest first.
  static func rank(_ prefix: Character) -> Int {
    ["~", "&", "@", "%", "+"].firstIndex(of: prefix) ?? 9
  }

  mutating func handleMarkRead(_ message: IRCMessage) {
    guard message.params.count >= 2 else { return }
    let key = BufferKey(target: message.params[0])
    let value = message.params[1]
    guard value.hasPrefix("timestamp="), let time = parseServerTime(String(value.dropFirst(10)))
    else { return }
    buffers.update(key) { $0.setReadMarker(time) }
  }
}
