import LyceumProtocol

extension IRCServerCore {
  /// `NAMES [<channel>{,<channel>}]`: the members of each channel (Modern IRC "NAMES message").
  ///
  /// Without a parameter, Modern IRC allows answering with just `366 * :End of /NAMES list`,
  /// which avoids dumping every channel on the server. A channel that does not exist, or is secret
  /// and the client is not in it, gets only its `366`, so its existence is not revealed.
  func handleNames(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    guard let list = message.params.first, !list.isEmpty else {
      replies.numeric(.endOfNames, "*", "End of /NAMES list")
      return
    }
    for name in list.split(separator: ",").map(String.init) {
      if let channel = channel(named: name), canSee(channel, asker: client) {
        sendNames(for: channel, to: client, replies: &replies)
      } else {
        replies.numeric(.endOfNames, name, "End of /NAMES list")
      }
    }
  }

  /// `353 <client> <symbol> <channel> :[prefix]<nick>…` lines, each within 512 bytes, then
  /// `366`. Shared with JOIN.
  ///
  /// The symbol is `@` for secret channels and `=` otherwise. `multi-prefix` clients get every
  /// prefix (`@+nick`), others only the highest; `userhost-in-names` clients get
  /// `nick!user@host`. Invisible members are left out for clients outside the channel.
  func sendNames(for channel: Channel, to client: Client, replies: inout Replies) {
    let isMember = channel.members[client.id] != nil
    let allPrefixes = replies.session.capabilities.contains(.multiPrefix)
    let userhosts = replies.session.capabilities.contains(.userhostInNames)
    var entries: [String] = []
    entries.reserveCapacity(channel.memberOrder.count)
    for id in channel.memberOrder {
      guard let member = clients[id], let membership = channel.members[id] else { continue }
      if !isMember && !isVisible(member, to: client) { continue }
      let name = userhosts ? member.prefix : member.displayNick
      entries.append(membership.prefixes(all: allPrefixes) + name)
    }
    let symbol = channel.modes.secret ? "@" : "="
    replies.numericList(.namReply, params: [symbol, channel.name], words: entries)
    replies.numeric(.endOfNames, channel.name, "End of /NAMES list")
  }
}
