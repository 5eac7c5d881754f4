import LyceumProtocol

extension IRCServerCore {
  /// `ROOM SET <#room> DESCRIPTION [:<text>]` and `ROOM SET <#room> KIND [<kind>]`: a registered
  /// room's description and kind, shown in `LIST` and on join. Without a value the setting is
  /// cleared.
  ///
  /// Allowed to the room's operators by account (the owner too), its channel operators and IRC
  /// operators; a server-owned room has no owner account, so only the last two and its
  /// configured operators. A description is at most `limits.roomDescriptionLength` bytes.
  /// Outcomes: `NOTE ROOM SET <#room> <setting> :<text>`, or `FAIL ROOM …`.
  func handleRoomSet(
    _ channel: Channel, by client: Client, _ arguments: [String], _ replies: inout Replies
  ) {
    guard channel.isRegistered else {
      roomFail("NOT_REGISTERED", [channel.name], "\(channel.name) is not registered", &replies)
      return
    }
    guard let setting = arguments.first?.uppercased() else {
      roomFail(
        "INVALID_PARAMS", [channel.name], "Use ROOM SET \(channel.name) DESCRIPTION or KIND",
        &replies)
      return
    }
    guard mayChangeRoom(client, channel) else {
      roomFail(
        "CHANOP_REQUIRED", [channel.name],
        "Only the room's operators or an IRC operator can change \(channel.name)", &replies)
      return
    }
    let value = arguments.count > 1 ? arguments[1] : nil
    let before = channel.roomRecord
    switch setting {
    case "DESCRIPTION":
      let limit = configuration.limits.roomDescriptionLength
      if let value, value.utf8.count > limit {
        roomFail(
          "DESCRIPTION_TOO_LONG", [channel.name],
          "A description is at most \(limit) bytes", &replies)
        return
      }
      channel.roomDescription = value
    case "KIND":
      var kind: RoomKind?
      if let value {
        guard let parsed = RoomKind(rawValue: value.lowercased()) else {
          roomFail(
            "INVALID_KIND", [channel.name, value], "A kind is one of \(RoomKind.allNames)",
            &replies)
          return
        }
        kind = parsed
      }
      channel.kind = kind
    default:
      roomFail(
        "INVALID_SETTING", [channel.name, arguments[0]],
        "ROOM SET changes DESCRIPTION or KIND", &replies)
      return
    }
    noteRoomChange(channel, since: before)
    let shown = value ?? "(cleared)"
    replies.standardReply(
      .note, command: "ROOM", code: "SET", context: [channel.name, setting],
      description: shown)
  }

  /// Whether `client` may change a registered room's settings: an operator of it by account,
  /// its channel operator, or an IRC operator.
  func mayChangeRoom(_ client: Client, _ channel: Channel) -> Bool {
    client.isOperator || isRoomOperator(client, in: channel)
      || channel.members[client.id]?.isOperator == true
  }

  /// `FAIL ROOM <code> <context…> :<text>`.
  func roomFail(_ code: String, _ context: [String], _ text: String, _ replies: inout Replies) {
    replies.standardReply(
      .fail, command: "ROOM", code: code, context: context, description: text)
  }
}
