import LyceumProtocol

extension IRCServerCore {
  /// `ROOM REGISTER <#channel>`, `ROOM UNREGISTER <#channel>`, `ROOM INFO <#channel>`,
  /// `ROOM SET <#channel> DESCRIPTION|KIND [<value>]` (see `handleRoomSet`).
  ///
  /// A registered room keeps its topic, modes, lists and operators by account while empty and
  /// across restarts. Channel operators logged in to an account register a room (the account
  /// becomes its owner, and the other operators' accounts its operators); its owner or an IRC
  /// operator unregisters it. Outcomes are standard replies: `NOTE ROOM …` or `FAIL ROOM …`.
  func handleRoom(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let subcommand = message.params[0].uppercased()
    let name = message.params[1]
    guard ["REGISTER", "UNREGISTER", "INFO", "SET"].contains(subcommand) else {
      replies.standardReply(
        .fail, command: "ROOM", code: "INVALID_SUBCOMMAND", context: [message.params[0]],
        description: "Use ROOM REGISTER, ROOM UNREGISTER, ROOM INFO or ROOM SET with a channel")
      return
    }
    guard let channel = channel(named: name),
      !channel.modes.secret || channel.members[client.id] != nil || client.isOperator
    else {
      replies.standardReply(
        .fail, command: "ROOM", code: "NO_SUCH_CHANNEL", context: [name],
        description: "No such channel")
      return
    }
    switch subcommand {
    case "REGISTER": registerRoom(channel, by: client, &replies)
    case "UNREGISTER": unregisterRoom(channel, by: client, &replies)
    case "SET": handleRoomSet(channel, by: client, Array(message.params.dropFirst(2)), &replies)
    default: describeRoom(channel, &replies)
    }
  }

  private func registerRoom(_ channel: Channel, by client: Client, _ replies: inout Replies) {
    if let owner = channel.owner {
      replies.standardReply(
        .fail, command: "ROOM", code: "ALREADY_REGISTERED", context: [channel.name],
        description: "\(channel.name) is already registered to \(accountDisplayName(owner))")
      return
    }
    guard let account = client.account else {
      replies.standardReply(
        .fail, command: "ROOM", code: "ACCOUNT_REQUIRED", context: [channel.name],
        description: "Log in to an account to register a room")
      return
    }
    guard channel.members[client.id]?.isOperator == true else {
      replies.standardReply(
        .fail, command: "ROOM", code: "CHANOP_REQUIRED", context: [channel.name],
        description: "Only a channel operator can register \(channel.name)")
      return
    }
    if let refusal = roomRegistrationRefusal(for: client) {
      replies.standardReply(
        .fail, command: "ROOM", code: "LIMIT_REACHED", context: [channel.name],
        description: refusal)
      return
    }
    channel.owner = account.foldedName
    for (id, rank) in channel.members where rank.isOperator {
      if let other = clients[id]?.account?.foldedName, other != account.foldedName {
        channel.operatorAccounts.insert(other)
      }
    }
    noteRoomChange(channel, since: nil)
    replies.standardReply(
      .note, command: "ROOM", code: "REGISTERED", context: [channel.name, account.name],
      description: "\(channel.name) is now registered to \(account.name)")
  }

  private func unregisterRoom(_ channel: Channel, by client: Client, _ replies: inout Replies) {
    guard let owner = channel.owner else {
      replies.standardReply(
        .fail, command: "ROOM", code: "NOT_REGISTERED", context: [channel.name],
        description: "\(channel.name) is not registered")
      return
    }
    guard client.account?.foldedName == owner || client.isOperator else {
      replies.standardReply(
        .fail, command: "ROOM", code: "OWNER_REQUIRED", context: [channel.name],
        description: "Only the owner or an IRC operator can unregister \(channel.name)")
      return
    }
    channel.owner = nil
    channel.operatorAccounts = []
    outbox.events.append(.roomDeleted(foldedName: channel.foldedName))
    publish(.roomUnregistered(channel: channel.name))
    replies.standardReply(
      .note, command: "ROOM", code: "UNREGISTERED", context: [channel.name],
      description: "\(channel.name) is no longer registered")
    forgetIfUnused(channel)
  }

  /// `NOTE ROOM INFO <#channel> <owner> <operators|*> <created> :<text>`.
  private func describeRoom(_ channel: Channel, _ replies: inout Replies) {
    guard let owner = channel.owner else {
      replies.standardReply(
        .fail, command: "ROOM", code: "NOT_REGISTERED", context: [channel.name],
        description: "\(channel.name) is not registered")
      return
    }
    let operators = channel.operatorAccounts.sorted().map(accountDisplayName)
    let ownerName = accountDisplayName(owner)
    let list = operators.isEmpty ? "*" : operators.joined(separator: ",")
    let text =
      "\(channel.name) is registered to \(ownerName)"
      + (operators.isEmpty ? "" : "; operators: \(operators.joined(separator: ", "))")
      + (channel.kind.map { "; kind: \($0.rawValue)" } ?? "")
      + (channel.roomDescription.map { "; \($0)" } ?? "")
    replies.standardReply(
      .note, command: "ROOM", code: "INFO",
      context: [channel.name, ownerName, list, String(channel.createdAtMilliseconds / 1000)],
      description: text)
  }
}
