import LyceumProtocol

/// Rooms from the configuration: how they combine with the rooms in the store.
///
/// - A configured room that is not registered is created (or, if an ordinary channel of that
///   name has members, taken over) with the configuration's topic, description, kind, modes and
///   `open-to` institutions, owned by the server, and stored like any registered room.
/// - A configured room that is already registered keeps its stored state: changes made over IRC
///   (`TOPIC`, `MODE`, `ROOM SET`) win over the file, at restart and at `REHASH`. A server-owned
///   room still gains the configuration's operators by account (it never loses any).
/// - A room removed from the configuration stays registered until an IRC operator unregisters
///   it (`ROOM UNREGISTER`).
/// - A room of that name registered to an account stays the account's.
extension IRCServerCore {
  /// Creates or completes the configured rooms; called after the stored rooms are restored and
  /// after every `reconfigure(_:)`.
  public func applyConfiguredRooms() {
    for room in configuration.rooms {
      let folded = fold(room.name)
      let operators = Set(room.operators.map(fold))
      if let channel = channels[folded], channel.isRegistered {
        guard channel.isServerOwned, !operators.isSubset(of: channel.operatorAccounts) else {
          continue
        }
        let before = channel.roomRecord
        channel.operatorAccounts.formUnion(operators)
        noteRoomChange(channel, since: before)
        continue
      }
      let now = clock.wallClockMilliseconds()
      let channel =
        channels[folded]
        ?? Channel(name: room.name, foldedName: folded, createdAtMilliseconds: now)
      channels[folded] = channel
      channel.owner = ServerOwnedRoom.owner
      channel.operatorAccounts = operators
      channel.roomDescription = room.description
      channel.kind = room.kind
      channel.modes = room.modes
      if !room.openTo.isEmpty {
        channel.modes.inviteOnly = true
        channel.inviteExceptions = room.openTo.map {
          ListEntry(mask: "$i:" + $0, setBy: configuration.serverName, setAtMilliseconds: now)
        }
      }
      if let topic = room.topic, channel.topic == nil {
        channel.topic = Topic(text: topic, setBy: configuration.serverName, setAtMilliseconds: now)
      }
      noteRoomChange(channel, since: nil)
    }
  }
}
