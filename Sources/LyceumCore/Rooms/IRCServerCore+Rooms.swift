import LyceumProtocol

/// Registered rooms in the core: restoring them at start-up, telling the server when their
/// persistent state changes, keeping them when they empty, and opping their operators by
/// account.
extension IRCServerCore {
  /// Recreates registered rooms from the store at start-up: empty, with their topic, modes,
  /// lists and operators by account. A room whose channel already exists gives it its state.
  /// Then creates the configured rooms the store did not have (`applyConfiguredRooms()`).
  public func restoreRooms(_ records: [RoomRecord]) {
    for record in records { restoreRoom(record) }
    applyConfiguredRooms()
  }

  /// Makes the channel of `record` (or updates it) with the record's persistent state: from
  /// the store at start-up, or from another node of the network.
  func restoreRoom(_ record: RoomRecord) {
    let channel =
      channels[record.foldedName]
      ?? Channel(
        name: record.name, foldedName: record.foldedName,
        createdAtMilliseconds: record.createdAtMilliseconds)
    channel.apply(record)
    channels[record.foldedName] = channel
  }

  /// Raises `roomChanged` when `channel` is registered and its persistent state differs from
  /// `before` (taken with `channel.roomRecord` before the change).
  func noteRoomChange(_ channel: Channel, since before: RoomRecord?) {
    guard let after = channel.roomRecord, after != before else { return }
    outbox.events.append(.roomChanged(after))
    publish(.room(after))
  }

  /// Forgets `channel` once nobody is in it, unless it is a registered room.
  func forgetIfUnused(_ channel: Channel) {
    if channel.isEmpty && !channel.isRegistered && channels[channel.foldedName] === channel {
      channels[channel.foldedName] = nil
    }
  }

  /// Makes the creator's account the owner of a channel it just created.
  func registerOnCreation(_ channel: Channel, by client: Client, _ replies: inout Replies) {
    guard let account = client.account else { return }
    if let refusal = roomRegistrationRefusal(for: client) {
      replies.standardReply(
        .note, command: "JOIN", code: "ROOM_NOT_REGISTERED", context: [channel.name],
        description: "\(refusal); \(channel.name) is an ordinary channel, forgotten when empty")
      return
    }
    channel.owner = account.foldedName
    noteRoomChange(channel, since: nil)
  }

  /// Why `client`'s account may not register another room (the caps on registered rooms per
  /// account and in all, so that one account cannot fill the store), nil when it may. IRC
  /// operators and `admin` accounts are limited by the total only.
  func roomRegistrationRefusal(for client: Client) -> String? {
    guard let account = client.account else { return "Log in to an account to register a room" }
    var total = 0
    var owned = 0
    for channel in channels.values {
      guard let owner = channel.owner else { continue }
      total += 1
      if owner == account.foldedName { owned += 1 }
    }
    if total >= configuration.limits.registeredRooms {
      return "The server holds its most registered rooms (\(configuration.limits.registeredRooms))"
    }
    let unlimited = client.isOperator || account.role == .admin
    if !unlimited && owned >= configuration.limits.roomsPerAccount {
      return "\(account.name) already owns \(owned) rooms, the most one account may"
    }
    return nil
  }

  /// Whether `client` is logged in to the owner's account or one of the operators' accounts.
  func isRoomOperator(_ client: Client, in channel: Channel) -> Bool {
    guard channel.isRegistered, let account = client.account?.foldedName else { return false }
    return account == channel.owner || channel.operatorAccounts.contains(account)
  }

  /// After a join: gives `+o` to a member whose account operates the registered room, shown
  /// to the channel as `:server MODE #chan +o nick` (to the joining session after its names).
  func opByAccount(_ client: Client, in channel: Channel, _ replies: inout Replies) {
    guard isRoomOperator(client, in: channel), var rank = channel.members[client.id],
      !rank.isOperator
    else { return }
    rank.isOperator = true
    channel.setMembership(rank, for: client.id)
    let mode = IRCMessage(
      tags: serverTags(msgid: true), source: configuration.serverName, command: "MODE",
      params: [channel.name, "+o", client.displayNick])
    publish(.mode(channel: channel.name, line: NetworkLine(mode)))
    broadcast(mode, to: channel, except: replies.session)
    replies.send(mode)
  }

  /// Follows `+o`/`-o` of a member logged in to an account: in a registered room its account
  /// joins or leaves the operators by account. The owner stays the owner either way.
  func recordOperator(_ target: Client, adding: Bool, in channel: Channel) {
    guard channel.isRegistered, let account = target.account?.foldedName,
      account != channel.owner
    else { return }
    if adding {
      channel.operatorAccounts.insert(account)
    } else {
      channel.operatorAccounts.remove(account)
    }
  }

  /// The display name of a folded account name, for replies.
  func accountDisplayName(_ folded: String) -> String {
    if folded == ServerOwnedRoom.owner { return configuration.serverName }
    return accounts[folded]?.name ?? folded
  }
}
