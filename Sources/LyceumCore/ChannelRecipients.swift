import Synchronization

/// A version number for "who receives what": bumped whenever a client gains or loses a
/// session or a session becomes registered. A channel's cached list of recipient sessions is
/// good while both the channel's membership and this version are unchanged.
///
/// Why a cache: a message to a channel of a thousand members used to look up every member's
/// client and walk its sessions, one hash and three pointer chases each; the list makes it one
/// pass over an array. Global (not per core) because clients and sessions do not know their
/// core; several cores in one process (tests) only invalidate each other's caches.
enum DeliveryTopology {
  private static let counter = Atomic<UInt64>(0)

  static var version: UInt64 { counter.load(ordering: .acquiring) }

  static func changed() {
    counter.add(1, ordering: .releasing)
  }
}

extension IRCServerCore {
  /// The registered sessions of `channel`'s members, in join order, each with its client's id.
  func recipients(of channel: Channel) -> [(ClientID, Session)] {
    let version = DeliveryTopology.version
    if channel.recipientsVersion == version { return channel.recipients }
    var list: [(ClientID, Session)] = []
    list.reserveCapacity(channel.memberOrder.count)
    for id in channel.memberOrder {
      guard let member = clients[id] else { continue }
      for session in member.registeredSessions { list.append((id, session)) }
    }
    channel.recipients = list
    channel.recipientsVersion = version
    return list
  }
}
