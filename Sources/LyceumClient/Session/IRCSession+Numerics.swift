import LyceumProtocol

extension IRCSession {
  /// Numerics: registration, login results, names, topics, the room directory, WHOIS; any
  /// other is shown as text in the buffer it concerns.
  mutating func handleNumeric(
    _ code: Int, _ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]
  ) {
    let params = message.params
    let text = params.last ?? ""
    if code == 330, params.count >= 3 { noteAccount(params[2], ofNick: params[1]) }
    if Self.whoisNumerics.contains(code), params.count >= 2,
      quietLookups.contains(Self.caseMapping.fold(params[1]))
    {
      let folded = Self.caseMapping.fold(params[1])
      if code == 320 { profiles[folded] = Self.profileText(text) }
      if code == 318 || code == 401 { quietLookups.remove(folded) }
      return
    }
    switch code {
    case 1:
      isRegistered = true
      if let first = params.first { nick = first }
      serverName = message.source ?? ""
      status(text, now: now)
      out.append(.registered(nick: nick))
      afterRegistration(now: now, &out)
    case 5:
      for token in params.dropFirst().dropLast() where token.hasPrefix("CHATHISTORY=") {
        historyLimit = Int(token.dropFirst("CHATHISTORY=".count)) ?? 0
      }
    case 433 where !isRegistered:
      // The nick is taken before registration: try another, as clients do.
      nick = nick.count < 28 ? nick + "_" : String(nick.prefix(20)) + String(now % 1000)
      out.append(.send("NICK \(nick)"))
      status("Nick taken; trying \(nick)", now: now)
    case 432 where !isRegistered:
      // Refused as a nick (not "taken"): adding to it will not help; try a plain one once.
      guard !nick.hasPrefix("guest") else {
        status(
          "The server refuses the nick \(nick); set another with --nick", now: now, kind: .error)
        out.append(.closedByServer(reason: "nick refused"))
        return
      }
      nick = "guest\(now % 100_000)"
      out.append(.send("NICK \(nick)"))
      status("The server refuses that nick; trying \(nick)", now: now, kind: .error)
    case 900:
      if params.count >= 3 { account = params[2] }
    case 903:
      sasl = .done
      status("Logged in as \(account ?? configuration.nick)", now: now)
      out.append(.loggedIn(account: account ?? ""))
      finishCapabilities(now: now, &out)
    case 908:
      break  // the mechanisms the server offers, sent before its 904: not the failure itself
    case 902, 904, 905, 906:
      guard case .done = sasl else {
        sasl = .done
        status("Login failed: \(text)", now: now, kind: .error)
        out.append(.loginFailed(reason: text))
        finishCapabilities(now: now, &out)
        return
      }
    case 907:
      finishCapabilities(now: now, &out)
    case 331:
      if params.count >= 2 { setTopic(params[1], nil) }
    case 332:
      if params.count >= 3 { setTopic(params[1], text) }
    case 353:
      if params.count >= 4 { addNames(channel: params[2], names: text) }
    case 366:
      if params.count >= 2 {
        buffers.update(BufferKey(target: params[1])) {
          $0.isJoined = true
          $0.isReceivingJoinBurst = false
        }
        out.append(.joined(channel: params[1]))
      }
    case 321:
      listing = []
    case 322:
      if params.count >= 3, listing.count < Self.maximumDirectoryEntries {
        let (description, topic) = RoomDescription.splitListField(text)
        listing.append(
          DirectoryEntry(
            name: params[1], members: Int(params[2]) ?? 0, roomDescription: description,
            topic: topic))
      }
    case 323:
      directory = listing.sorted { $0.members > $1.members }
      listing = []
      showDirectory(now: now)
    case 320:
      if params.count >= 3 {
        profiles[Self.caseMapping.fold(params[1])] = Self.profileText(text)
        status("\(params[1]) \(text)", now: now, in: buffers.activeKey)
      }
    case 403, 405, 471, 473, 474, 475, 476, 477, 489:
      if params.count >= 2, Self.isChannel(params[1]) {
        out.append(.joinFailed(channel: params[1], reason: text))
        wantedChannels.removeAll { Self.caseMapping.equals($0, params[1]) }
      }
      showNumeric(message, now: now, kind: .error)
      if code == 473, params.count >= 2 {
        status("Ask its operators for an invitation: /knock \(params[1]) [reason]", now: now)
      }
    case 710...714:
      handleKnockReply(code, message, now: now)
    default:
      showNumeric(message, now: now, kind: Self.isErrorNumeric(message.command) ? .error : .status)
    }
  }

  /// The numerics a `WHOIS` answer is made of (and `401` for a nick that is gone).
  static let whoisNumerics: Set<Int> = [
    276, 301, 307, 311, 312, 313, 317, 318, 319, 320, 330, 335, 338, 378, 379, 401, 671,
  ]

  /// `is faculty at Universidad de Salamanca (Ada Lovelace)` → `faculty at Universidad de
  /// Salamanca`: role and institution, as the pane shows them beside a nick.
  static func profileText(_ text: String) -> String {
    var profile = text.hasPrefix("is ") ? String(text.dropFirst(3)) : text
    for article in ["a ", "an "] where profile.hasPrefix(article) {
      profile = String(profile.dropFirst(article.count))
    }
    if let open = profile.lastIndex(of: "("), profile.hasSuffix(")") {
      profile = String(profile[..<open]).trimmingTrailingWhitespace()
    }
    return profile
  }

  /// Shows a numeric's words (without our nick) in the buffer it names, else the active one.
  mutating func showNumeric(_ message: IRCMessage, now: Int64, kind: BufferLine.Kind) {
    let words = message.params.dropFirst()
    let key =
      words.first.map { BufferKey(target: $0) }.flatMap { buffers[$0] == nil ? nil : $0 }
      ?? (isRegistered ? buffers.activeKey : .server)
    status(words.joined(separator: " "), now: now, kind: kind, in: key)
  }

  /// After `001`: join the rooms (again), find direct conversations, fill gaps.
  mutating func afterRegistration(now: Int64, _ out: inout [SessionEvent]) {
    var seen = Set<String>()
    let channels = (configuration.channels + wantedChannels).filter {
      seen.insert(Self.caseMapping.fold($0)).inserted
    }
    wantedChannels = channels
    if !channels.isEmpty {
      // Several channels per JOIN, within the line limit.
      var batch: [String] = []
      var length = 0
      for channel in channels {
        if length + channel.count + 1 > 400 {
          out.append(.send("JOIN \(batch.joined(separator: ","))"))
          batch = []
          length = 0
        }
        batch.append(channel)
        length += channel.count + 1
      }
      out.append(.send("JOIN \(batch.joined(separator: ","))"))
    }
    guard historyAvailable else { return }
    for buffer in buffers.ordered where buffer.kind == .direct {
      requestCatchUp(target: buffer.name, &out)
    }
    if configuration.fetchDirectTargets, account != nil {
      let from = formatServerTime(now + 60_000)
      out.append(
        .send("CHATHISTORY TARGETS timestamp=\(from) timestamp=1970-01-01T00:00:00.000Z 50"))
    }
  }

  mutating func setTopic(_ channel: String, _ topic: String?) {
    buffers.update(BufferKey(target: channel)) { $0.topic = topic }
  }

  mutating func addNames(channel: String, names: String) {
    let prefixes: Set<Character> = ["~", "&", "@", "%", "+"]
    buffers.update(BufferKey(target: channel)) { buffer in
      for entry in names.split(separator: " ") {
        let modes = String(entry.prefix { prefixes.contains($0) })
        let nick = UserHost(parsing: String(entry.dropFirst(modes.count))).nick
        buffer.members[Self.caseMapping.fold(nick)] = ChatBuffer.Member(
          nick: nick, prefixes: modes)
      }
    }
  }

  /// The most rooms one `LIST` answer keeps (the server stops at some 5 000).
  static let maximumDirectoryEntries = 10_000

  /// The directory as a table: name, members, kind, then description and topic.
  mutating func showDirectory(now: Int64) {
    status(
      "Rooms (\(directory.count)); /join one by name, /list <kind> for one kind:", now: now,
      in: buffers.activeKey)
    let nameWidth = min(24, directory.map(\.name.count).max() ?? 0)
    let kindWidth = directory.compactMap { $0.roomDescription?.kind?.count }.max() ?? 0
    for entry in directory {
      let name = entry.name.padding(
        toLength: max(nameWidth, entry.name.count), withPad: " ", startingAt: 0)
      let members = String(entry.members)
      let count = String(repeating: " ", count: max(0, 4 - members.count)) + members
      var columns = "  \(name) \(count)"
      if kindWidth > 0 {
        let kind = entry.roomDescription?.kind ?? ""
        columns += "  " + kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
      }
      let about = [entry.roomDescription?.text, entry.topic].compactMap {
        $0?.isEmpty == false ? $0 : nil
      }
      if !about.isEmpty { columns += "  " + about.joined(separator: " — ") }
      status(columns, now: now, in: buffers.activeKey)
    }
  }

  /// Lines this client shows without special handling.
  mutating func handleMinor(_ message: IRCMessage, command: String, now: Int64) {
    switch command {
    case "INVITE":
      if message.params.count >= 2 {
        status(
          "\(sourceNick(message)) invites \(message.params[0]) to \(message.params[1])",
          now: now)
      }
    default: break
    }
  }
}
