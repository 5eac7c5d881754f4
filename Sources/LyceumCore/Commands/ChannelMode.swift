import LyceumProtocol

extension IRCServerCore {
  /// Channel modes: lists `b` (bans), `e` (ban exceptions) and `I` (invite exceptions), `k`
  /// key, `l` limit, member ranks `o` and `v`, and flags `C i m n s t`. Without a mode string:
  /// `324` and `329`. A list letter without a parameter lists the entries (`367`/`368`,
  /// `348`/`349`, `346`/`347`).
  func handleChannelMode(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let name = message.params[0]
    guard let channel = existingChannel(name, &replies) else { return }
    let membership = channel.members[client.id]
    guard message.params.count > 1 else {
      replies.numeric(
        .channelModeIs, params: [channel.name] + channel.modes.render(showKey: membership != nil))
      replies.numeric(.creationTime, channel.name, String(channel.createdAtMilliseconds / 1000))
      return
    }
    let before = channel.roomRecord
    defer { noteRoomChange(channel, since: before) }
    var arguments = message.params.dropFirst(2).makeIterator()
    var adding = true
    var applied = ModeChangeText()
    var parameterModes = 0
    var deniedPrivileges = false
    for letter in message.params[1] {
      switch letter {
      case "+":
        adding = true
        continue
      case "-":
        adding = false
        continue
      default: break
      }
      guard ChannelModeLetter.known.contains(letter) else {
        replies.numeric(.errUnknownMode, String(letter), "is unknown mode char to me")
        continue
      }
      let takesParameter = ChannelModeLetter.takesParameter(letter, adding: adding)
      // `k` is type B in CHANMODES, so `-k` consumes a parameter too; it is optional here
      // because the key is not checked when removing it.
      let argument =
        takesParameter || ChannelModeLetter.consumesParameterWhenRemoving(letter, adding: adding)
        ? arguments.next() : nil
      if takesParameter && argument == nil && ChannelModeLetter.lists.contains(letter) {
        // A secret channel's lists (masks, who set them) are for its members only.
        if membership == nil && channel.modes.secret {
          replies.numeric(.errNotOnChannel, channel.name, "You're not on that channel")
        } else {
          sendList(letter, of: channel, to: &replies)
        }
        continue
      }
      guard membership?.isOperator == true else {
        deniedPrivileges = true
        continue
      }
      if takesParameter {
        guard let argument else {
          replies.needMoreParams("MODE")
          continue
        }
        parameterModes += 1
        guard parameterModes <= configuration.limits.modesPerCommand else { continue }
        applyParameterMode(
          letter, adding: adding, argument: argument, client: client, channel: channel,
          applied: &applied, replies: &replies)
      } else {
        applyFlag(letter, adding: adding, channel: channel, applied: &applied)
      }
    }
    if deniedPrivileges {
      replies.numeric(.errChanOPrivsNeeded, channel.name, "You're not channel operator")
    }
    guard !applied.isEmpty else { return }
    // `:prefix MODE #channel ` and CR LF around the mode string and its parameters; the last
    // parameter may take a `:`.
    let budget = 512 - (client.prefix.utf8.count + channel.name.utf8.count + 12)
    for piece in applied.split(fitting: budget) {
      let change = IRCMessage(
        tags: serverTags(msgid: true, from: client), source: client.prefix, command: "MODE",
        params: [channel.name, piece.flags] + piece.parameters)
      keep(change, in: channel, from: client)
      publish(.mode(channel: channel.name, line: NetworkLine(change)))
      broadcast(change, to: channel, except: replies.session)
      replies.send(change)
    }
  }

  private func applyFlag(
    _ letter: Character, adding: Bool, channel: Channel, applied: inout ModeChangeText
  ) {
    var modes = channel.modes
    switch letter {
    case "C": modes.noCTCP = adding
    case "i": modes.inviteOnly = adding
    case "m": modes.moderated = adding
    case "n": modes.noExternalMessages = adding
    case "s": modes.secret = adding
    case "t": modes.topicLocked = adding
    case "k" where !adding: modes.key = nil
    case "l" where !adding: modes.limit = nil
    default: return
    }
    if modes != channel.modes {
      channel.modes = modes
      applied.add(adding, letter, letter == "k" ? "*" : nil)
    }
  }

  private func applyParameterMode(
    _ letter: Character, adding: Bool, argument: String, client: Client, channel: Channel,
    applied: inout ModeChangeText, replies: inout Replies
  ) {
    switch letter {
    case "o", "v":
      guard let target = self.client(named: argument) else {
        replies.numeric(.errNoSuchNick, argument, "No such nick/channel")
        return
      }
      guard var rank = channel.members[target.id] else {
        replies.numeric(.errUserNotInChannel, argument, channel.name, "They aren't on that channel")
        return
      }
      if letter == "o" {
        rank.isOperator = adding
        recordOperator(target, adding: adding, in: channel)
      } else {
        rank.isVoiced = adding
      }
      if rank != channel.members[target.id] {
        channel.setMembership(rank, for: target.id)
        applied.add(adding, letter, target.displayNick)
      }
    case "k":
      guard adding else {
        if channel.modes.key != nil {
          channel.modes.key = nil
          applied.add(false, "k", "*")
        }
        return
      }
      guard Self.isValidKey(argument) else {
        replies.numeric(
          .errInvalidKey, channel.name,
          "Key is not well-formed: 1-23 characters, no spaces, commas or colons")
        return
      }
      channel.modes.key = argument
      applied.add(true, "k", argument)
    case "l":
      guard let limit = Int(argument), limit > 0 else {
        replies.numeric(
          .errInvalidModeParam, channel.name, "l", argument, "Invalid limit: a positive number")
        return
      }
      channel.modes.limit = limit
      applied.add(true, "l", String(limit))
    case "b", "e", "I":
      let extended = ExtendedBan(argument)
      if argument.hasPrefix("$") && (extended == nil || (extended?.kind == .mute && letter != "b"))
      {
        replies.numeric(
          .errInvalidModeParam, channel.name, String(letter), argument,
          letter == "b"
            ? "Unknown extended ban: use $a, $a:<account>, $i:<institution> or $m:<mask>"
            : "Unknown extended mask: use $a, $a:<account> or $i:<institution>")
        return
      }
      let mask = Self.normalizedMask(argument)
      guard mask.utf8.count <= Self.maximumMaskLength else {
        replies.numeric(
          .errInvalidModeParam, channel.name, String(letter), "*",
          "Mask too long (at most \(Self.maximumMaskLength) bytes)")
        return
      }
      var entries = channel.list(letter)
      let existing = entries.firstIndex { fold($0.mask) == fold(mask) }
      if adding {
        guard existing == nil else { return }
        guard entries.count < configuration.limits.listEntries else {
          replies.numeric(.errBanListFull, channel.name, String(letter), "Channel list is full")
          return
        }
        entries.append(
          ListEntry(
            mask: mask, setBy: client.prefix, setAtMilliseconds: clock.wallClockMilliseconds()))
      } else {
        guard let existing else { return }
        entries.remove(at: existing)
      }
      channel.setList(letter, entries)
      applied.add(adding, letter, mask)
    default:
      break
    }
  }

  private func sendList(_ letter: Character, of channel: Channel, to replies: inout Replies) {
    let (item, end, endText) =
      switch letter {
      case "b": (Numeric.banList, Numeric.endOfBanList, "End of channel ban list")
      case "e": (Numeric.exceptList, Numeric.endOfExceptList, "End of channel exception list")
      default: (Numeric.inviteList, Numeric.endOfInviteList, "End of channel invite exception list")
      }
    for entry in channel.list(letter) {
      replies.numeric(
        item, channel.name, entry.mask, entry.setBy, String(entry.setAtMilliseconds / 1000))
    }
    replies.numeric(end, channel.name, endText)
  }

  /// Completes a partial mask the way users expect: `nick` → `nick!*@*`,
  /// `user@host` → `*!user@host`, `nick!user` → `nick!user@*`; inside a mute ban too
  /// (`$m:nick` → `$m:nick!*@*`).
  static func normalizedMask(_ mask: String) -> String {
    if let extended = ExtendedBan(mask) {
      guard let muted = extended.mutedMask else { return mask }
      return "$m:" + normalizedMask(muted)
    }
    let hasBang = mask.contains("!")
    let hasAt = mask.contains("@")
    switch (hasBang, hasAt) {
    case (false, false): return mask + "!*@*"
    case (false, true): return "*!" + mask
    case (true, false): return mask + "@*"
    case (true, true): return mask
    }
  }

  /// The longest `b`/`e`/`I` mask kept: a `MODE` line carries it with the setter's prefix
  /// and the channel name, and `367`/`348`/`346` with the setter's and the time, all within
  /// 512 bytes.
  static let maximumMaskLength = 250

  /// A channel key: 1–23 printable characters without space, comma or colon.
  static func isValidKey(_ key: String) -> Bool {
    !key.isEmpty && key.utf8.count <= 23
      && key.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "," && $0 != ":" }
  }
}

/// Facts about Lyceum's channel mode letters, matching `CHANMODES=Ibe,k,l,Cimnst`.
enum ChannelModeLetter {
  static let known: Set<Character> = [
    "C", "I", "b", "e", "i", "k", "l", "m", "n", "o", "s", "t", "v",
  ]
  static let lists: Set<Character> = ["I", "b", "e"]

  /// Type B letters other than the list modes: a parameter follows even when unset.
  static func consumesParameterWhenRemoving(_ letter: Character, adding: Bool) -> Bool {
    letter == "k" && !adding
  }

  static func takesParameter(_ letter: Character, adding: Bool) -> Bool {
    switch letter {
    case "I", "b", "e", "o", "v": true
    case "k", "l": adding
    default: false
    }
  }
}
