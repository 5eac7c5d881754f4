import LyceumProtocol

extension IRCServerCore {
  /// `LIST [<channel>{,<channel>}|<elistcond>{,<elistcond>}]`: channels with their visible user
  /// count and topic (Modern IRC "LIST message").
  ///
  /// Replies `321`, one `322` per channel, then `323`. Secret channels are listed only to their
  /// members. The `ELIST=U` conditions `>n` and `<n` keep channels with more, or fewer, than `n`
  /// users; `ELIST=M` masks (`#lab*`, `!#tmp*`) keep the names that match (or do not). The
  /// Lyceum extension `kind=<kind>` keeps registered rooms of that kind. The topic field of a
  /// registered room is `[kind] description (open to: …) — topic` (see `directoryText(of:)`).
  /// Channels are listed in name order so the output is stable. At most `limits.listBytes` of
  /// `322` lines are sent: a longer list ends early with a `NOTE LIST TRUNCATED` saying how to
  /// narrow it, so a large directory never overflows the asker's send queue.
  func handleList(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    var names: [String] = []
    var filter = ListFilter()
    var masks: [(IRCMask, negated: Bool)] = []
    if let list = message.params.first {
      for item in list.split(separator: ",").map(String.init) where !filter.parse(item) {
        if item.lowercased().hasPrefix("kind=") {
          let name = String(item.dropFirst(5)).lowercased()
          guard let kind = RoomKind(rawValue: name) else {
            replies.standardReply(
              .fail, command: "LIST", code: "INVALID_KIND", context: [item],
              description: "A kind is one of \(RoomKind.allNames)")
            return
          }
          filter.kind = kind
          continue
        }
        let negated = item.hasPrefix("!")
        let pattern = negated ? String(item.dropFirst()) : item
        if pattern.contains("*") || pattern.contains("?") {
          masks.append((IRCMask(pattern, caseMapping: caseMapping), negated))
        } else {
          names.append(item)
        }
      }
    }
    let candidates: [Channel]
    if names.isEmpty {
      candidates = channels.values.filter { channel in
        masks.allSatisfy { $0.0.matches(channel.name) != $0.negated }
      }.sorted { $0.foldedName < $1.foldedName }
    } else {
      var seen: Set<String> = []
      candidates = names.compactMap { channel(named: $0) }.filter {
        seen.insert($0.foldedName).inserted
      }
    }
    replies.numeric(.listStart, "Channel", "Users  Name")
    var bytes = 0
    var listed = 0
    for channel in candidates where canSee(channel, asker: client) {
      let count = visibleMemberCount(of: channel, to: client)
      guard filter.accepts(count), filter.kind.map({ $0 == channel.kind }) ?? true else {
        continue
      }
      let topic = directoryText(of: channel)
      // The line as sent: ":server 322 nick #chan count :topic\r\n", near enough.
      bytes += configuration.serverName.utf8.count + channel.name.utf8.count + topic.utf8.count + 40
      if bytes > configuration.limits.listBytes {
        replies.standardReply(
          .note, command: "LIST", code: "TRUNCATED", context: [String(listed)],
          description:
            "Stopped after \(listed) rooms; narrow it with a mask (LIST #lab*) or a size (LIST >5)")
        break
      }
      listed += 1
      replies.numeric(.list, channel.name, String(count), topic)
    }
    replies.numeric(.listEnd, "End of /LIST")
  }

  /// Members `client` could see with NAMES: everyone for a member, else the visible ones.
  func visibleMemberCount(of channel: Channel, to client: Client) -> Int {
    if channel.members[client.id] != nil { return channel.memberOrder.count }
    return channel.memberOrder.lazy.filter { id in
      self.clients[id].map { self.isVisible($0, to: client) } ?? false
    }.count
  }
}

/// The `ELIST=U` user-count conditions of one `LIST` command.
struct ListFilter: Equatable {
  /// Keep channels with more users than this.
  var moreThan: Int?
  /// Keep channels with fewer users than this.
  var fewerThan: Int?
  /// Keep registered rooms of this kind (`kind=research`, a Lyceum extension).
  var kind: RoomKind?

  /// Reads `>n` or `<n`; returns false when `item` is not a condition (so a channel name).
  mutating func parse(_ item: String) -> Bool {
    guard let first = item.first, first == ">" || first == "<",
      let value = Int(item.dropFirst()), value >= 0
    else { return false }
    if first == ">" { moreThan = value } else { fewerThan = value }
    return true
  }

  func accepts(_ count: Int) -> Bool {
    if let moreThan, count <= moreThan { return false }
    if let fewerThan, count >= fewerThan { return false }
    return true
  }
}
