import LyceumProtocol

extension IRCServerCore {
  /// `LIST [<channel>{,<channel>}|<elistcond>{,<elistcond>}]`: channels with their visible user
  /// count and topic (Modern IRC "LIST message").
  ///
  /// Replies `321`, one `322` per channel, then `323`. Secret channels are listed only to their
  /// members. The `ELIST=U` conditions `>n` and `<n` keep channels with more, or fewer, than `n`
  /// users. Channels are listed in name order so the output is stable.
  func handleList(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    var names: [String] = []
    var filter = ListFilter()
    if let list = message.params.first {
      for item in list.split(separator: ",").map(String.init) where !filter.parse(item) {
        names.append(item)
      }
    }
    let candidates: [Channel]
    if names.isEmpty {
      candidates = channels.values.sorted { $0.foldedName < $1.foldedName }
    } else {
      var seen: Set<String> = []
      candidates = names.compactMap { channel(named: $0) }.filter {
        seen.insert($0.foldedName).inserted
      }
    }
    replies.numeric(.listStart, "Channel", "Users  Name")
    for channel in candidates where canSee(channel, asker: client) {
      let count = visibleMemberCount(of: channel, to: client)
      guard filter.accepts(count) else { continue }
      replies.numeric(.list, channel.name, String(count), channel.topic?.text ?? "")
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
