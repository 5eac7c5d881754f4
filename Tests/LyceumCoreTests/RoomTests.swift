import LyceumProtocol
import Testing

@testable import LyceumCore

/// Registered rooms: registration on creation and with `ROOM`, operators by account, rooms kept
/// while empty, the events the server stores, and restoring at start-up.
@Suite("Rooms")
struct RoomTests {
  static let ada = Accounts.summary("Ada", institution: "Uppsala University")
  static let grace = Accounts.summary("Grace")

  /// A harness whose account directory knows Ada and Grace.
  func harness() -> CoreHarness {
    let h = CoreHarness()
    h.core.loadAccounts([Self.ada, Self.grace])
    return h
  }

  @Test func channelCreatedByAnAccountHolderIsRegisteredToThatAccount() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let reply = h.exchange("JOIN #Lab", from: ada)
    #expect(reply.commands == ["JOIN", "353", "366"])
    let channel = h.channel("#lab")
    #expect(channel.owner == "ada")
    #expect(channel.operatorAccounts.isEmpty)
    let expected = RoomRecord(
      name: "#Lab", foldedName: "#lab", owner: "ada",
      createdAtMilliseconds: h.clock.wallClockMilliseconds())
    #expect(h.roomEvents == [.roomChanged(expected)])

    let guest = h.connectRegistered("guest")
    _ = h.exchange("JOIN #open", from: guest)
    #expect(h.channel("#open").isRegistered == false)
    #expect(h.roomEvents.count == 1)
  }

  @Test func anAccountOwnsAtMostItsShareOfRegisteredRooms() {
    let h = CoreHarness { $0.limits.roomsPerAccount = 2 }
    h.core.loadAccounts([Self.ada, Self.grace])
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    _ = h.exchange("JOIN #one", from: ada)
    _ = h.exchange("JOIN #two", from: ada)
    let third = h.exchange("JOIN #three", from: ada)
    #expect(h.channel("#one").isRegistered && h.channel("#two").isRegistered)
    #expect(h.channel("#three").isRegistered == false)
    #expect(
      third.contains {
        $0.command == "NOTE" && $0.params.prefix(2) == ["JOIN", "ROOM_NOT_REGISTERED"]
      })
    let refused = h.exchange("ROOM REGISTER #three", from: ada)
    #expect(refused.first?.params.prefix(2) == ["ROOM", "LIMIT_REACHED"])
    // Another account still can.
    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    _ = h.exchange("JOIN #four", from: grace)
    #expect(h.channel("#four").isRegistered)
  }

  @Test func theServerHoldsAtMostItsTotalOfRegisteredRooms() {
    let h = CoreHarness { $0.limits.registeredRooms = 1 }
    h.core.loadAccounts([Self.ada, Self.grace])
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    _ = h.exchange("JOIN #one", from: ada)
    _ = h.exchange("JOIN #two", from: grace)
    #expect(h.channel("#one").isRegistered)
    #expect(h.channel("#two").isRegistered == false)
  }

  @Test func emptyRegisteredRoomKeepsTopicModesAndLists() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    h.send("JOIN #lab", from: ada)
    h.send("TOPIC #lab :Spectroscopy", from: ada)
    h.send("MODE #lab +ikl-n sesame 20", from: ada)
    h.send("MODE #lab +bI spam!*@* $i:Uppsala*", from: ada)
    h.send("PART #lab", from: ada)
    let kept = h.channel("#lab")
    #expect(kept.isEmpty)
    #expect(kept.topic?.text == "Spectroscopy")
    #expect(kept.modes.render(showKey: true) == ["+iklt", "sesame", "20"])
    #expect(kept.bans.map(\.mask) == ["spam!*@*"])
    #expect(kept.inviteExceptions.map(\.mask) == ["$i:Uppsala*"])

    // An ordinary channel is still forgotten, by PART and by QUIT alike.
    let bob = h.connectRegistered("bob")
    h.send("JOIN #open,#other", from: bob)
    h.send("PART #open", from: bob)
    #expect(h.core.channel(named: "#open") == nil)
    h.send("QUIT :bye", from: bob)
    #expect(h.core.channel(named: "#other") == nil)
    #expect(h.core.channel(named: "#lab") != nil)
  }

  @Test func persistentChangesRaiseEventsWithTheWholeRecord() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let bob = h.connectRegistered("bob")
    h.send("JOIN #lab", from: ada)
    h.send("JOIN #lab", from: bob)
    let start = h.roomEvents.count
    h.send("TOPIC #lab :Spectroscopy", from: ada)
    h.send("MODE #lab +v bob", from: ada)  // not persistent: no event
    h.send("MODE #lab +n", from: ada)  // already set: no event
    h.send("MODE #lab +k sesame", from: ada)
    h.send("MODE #lab +b spam", from: ada)
    let events = Array(h.roomEvents.dropFirst(start))
    #expect(events.count == 3)
    guard case .roomChanged(let last) = events.last else {
      Issue.record("expected roomChanged, got \(events)")
      return
    }
    let channel = h.channel("#lab")
    #expect(last == channel.roomRecord)
    #expect(
      last.topic
        == Topic(
          text: "Spectroscopy", setBy: "ada!ada@198.51.100.7",
          setAtMilliseconds: h.clock.wallClockMilliseconds()))
    #expect(last.modes.key == "sesame")
    #expect(last.bans.map(\.mask) == ["spam!*@*"])
  }

  @Test func operatorsByAccountAreOppedOnJoin() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    let bob = h.connectRegistered("bob")
    h.send("JOIN #lab", from: ada)
    h.send("JOIN #lab", from: grace)
    h.send("JOIN #lab", from: bob)
    h.send("MODE #lab +oo grace bob", from: ada)
    let channel = h.channel("#lab")
    #expect(channel.operatorAccounts == ["grace"], "bob has no account to remember")
    guard case .roomChanged(let record) = h.roomEvents.last else {
      Issue.record("no roomChanged after +o")
      return
    }
    #expect(record.operatorAccounts == ["grace"])

    h.send("PART #lab", from: grace)
    _ = h.lines(for: ada)
    let rejoin = h.exchange("JOIN #lab", from: grace)
    #expect(rejoin.commands == ["JOIN", "353", "366", "MODE"])
    #expect(rejoin[1].numericParams.last?.contains("@grace") == false)
    #expect(rejoin[3].source == "irc.test")
    #expect(rejoin[3].params == ["#lab", "+o", "grace"])
    #expect(channel.members[grace]?.isOperator == true)
    let seen = h.messages(for: ada)
    #expect(seen.commands == ["JOIN", "MODE"])
    #expect(seen.last?.params == ["#lab", "+o", "grace"])

    // bob (no account) is not opped again; -o forgets grace's account.
    h.send("PART #lab", from: bob)
    #expect(h.exchange("JOIN #lab", from: bob).commands == ["JOIN", "353", "366"])
    h.send("MODE #lab -o grace", from: ada)
    #expect(channel.operatorAccounts.isEmpty)
    h.send("PART #lab", from: grace)
    #expect(h.exchange("JOIN #lab", from: grace).commands == ["JOIN", "353", "366"])

    // The owner is opped on rejoining the room even when it is empty.
    h.send("PART #lab", from: ada)
    h.send("PART #lab", from: bob)
    h.send("PART #lab", from: grace)
    #expect(h.channel("#lab").isEmpty)
    #expect(h.exchange("JOIN #lab", from: ada).commands == ["JOIN", "353", "366", "MODE"])
  }

  @Test func roomRegisterNeedsAnAccountAndChannelOperator() {
    let h = harness()
    let bob = h.connectRegistered("bob")
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    h.send("JOIN #x", from: bob)
    h.send("JOIN #x", from: ada)
    h.send("JOIN #x", from: grace)
    #expect(h.channel("#x").isRegistered == false)

    let noAccount = h.exchange("ROOM REGISTER #x", from: bob)
    #expect(noAccount.commands == ["FAIL"])
    #expect(noAccount[0].params.prefix(3) == ["ROOM", "ACCOUNT_REQUIRED", "#x"])
    let notOp = h.exchange("ROOM REGISTER #x", from: ada)
    #expect(notOp[0].params.prefix(3) == ["ROOM", "CHANOP_REQUIRED", "#x"])

    h.send("MODE #x +oo ada grace", from: bob)
    let start = h.roomEvents.count
    let done = h.exchange("room register #X", from: ada)
    #expect(done.commands == ["NOTE"])
    #expect(done[0].params == ["ROOM", "REGISTERED", "#x", "Ada", "#x is now registered to Ada"])
    let channel = h.channel("#x")
    #expect(channel.owner == "ada")
    #expect(channel.operatorAccounts == ["grace"], "the other operators' accounts come along")
    #expect(h.roomEvents.dropFirst(start).map { $0 } == [.roomChanged(channel.roomRecord!)])

    let again = h.exchange("ROOM REGISTER #x", from: grace)
    #expect(again[0].params.prefix(3) == ["ROOM", "ALREADY_REGISTERED", "#x"])
    let info = h.exchange("ROOM INFO #x", from: bob)
    #expect(
      info[0].params == [
        "ROOM", "INFO", "#x", "Ada", "Grace", String(channel.createdAtMilliseconds / 1000),
        "#x is registered to Ada; operators: Grace",
      ])
    let missing = h.exchange("ROOM INFO #nowhere", from: bob)
    #expect(missing[0].params.prefix(3) == ["ROOM", "NO_SUCH_CHANNEL", "#nowhere"])
    let unknown = h.exchange("ROOM FROB #x", from: bob)
    #expect(unknown[0].params.prefix(3) == ["ROOM", "INVALID_SUBCOMMAND", "FROB"])
    #expect(h.exchange("ROOM INFO", from: bob).commands == ["461"])
  }

  @Test func roomInfoOfAnUnregisteredOrSecretChannel() {
    let h = harness()
    let bob = h.connectRegistered("bob")
    let carol = h.connectRegistered("carol")
    h.send("JOIN #plain,#hidden", from: bob)
    h.send("MODE #hidden +s", from: bob)
    let plain = h.exchange("ROOM INFO #plain", from: carol)
    #expect(plain[0].command == "FAIL")
    #expect(plain[0].params.prefix(3) == ["ROOM", "NOT_REGISTERED", "#plain"])
    let hidden = h.exchange("ROOM INFO #hidden", from: carol)
    #expect(hidden[0].params.prefix(3) == ["ROOM", "NO_SUCH_CHANNEL", "#hidden"])
  }

  @Test func unregisterByTheOwnerOrAnIRCOperator() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    h.send("JOIN #lab,#annex", from: ada)
    h.send("JOIN #lab", from: grace)
    h.send("MODE #lab +o grace", from: ada)

    let refused = h.exchange("ROOM UNREGISTER #lab", from: grace)
    #expect(refused[0].command == "FAIL")
    #expect(refused[0].params.prefix(3) == ["ROOM", "OWNER_REQUIRED", "#lab"])

    let done = h.exchange("ROOM UNREGISTER #lab", from: ada)
    #expect(done[0].params == ["ROOM", "UNREGISTERED", "#lab", "#lab is no longer registered"])
    #expect(h.roomEvents.last == .roomDeleted(foldedName: "#lab"))
    let channel = h.channel("#lab")
    #expect(channel.owner == nil && channel.operatorAccounts.isEmpty)
    let notAnymore = h.exchange("ROOM UNREGISTER #lab", from: ada)
    #expect(notAnymore[0].params.prefix(3) == ["ROOM", "NOT_REGISTERED", "#lab"])
    h.send("PART #lab", from: ada)
    h.send("PART #lab", from: grace)
    #expect(h.core.channel(named: "#lab") == nil, "unregistered: forgotten when empty")

    // An IRC operator may unregister someone else's empty room, which then goes at once.
    h.send("PART #annex", from: ada)
    h.client(grace).isOperator = true
    let byOper = h.exchange("ROOM UNREGISTER #annex", from: grace)
    #expect(byOper[0].params.prefix(2) == ["ROOM", "UNREGISTERED"])
    #expect(h.core.channel(named: "#annex") == nil)
  }

  @Test func restoredRoomsKeepTheirStateAndOpTheirOperators() {
    let h = harness()
    let record = RoomRecord(
      name: "#Lab", foldedName: "#lab", owner: "ada", operatorAccounts: ["grace"],
      topic: Topic(
        text: "Spectroscopy", setBy: "ada!ada@192.0.2.1", setAtMilliseconds: 1_600_000_000_000),
      modes: {
        var modes = ChannelModes()
        modes.key = "sesame"
        modes.secret = true
        return modes
      }(),
      bans: [ListEntry(mask: "spam!*@*", setBy: "ada", setAtMilliseconds: 1_600_000_001_000)],
      inviteExceptions: [ListEntry(mask: "$a", setBy: "ada", setAtMilliseconds: 1_600_000_002_000)],
      createdAtMilliseconds: 1_500_000_000_000)
    h.core.restoreRooms([record])
    #expect(h.roomEvents.isEmpty)
    let channel = h.channel("#lab")
    #expect(channel.name == "#Lab" && channel.isEmpty)
    #expect(channel.roomRecord == record)

    let bob = h.connectRegistered("bob")
    #expect(h.exchange("JOIN #lab", from: bob).commands == ["475"])
    let joined = h.exchange("JOIN #lab sesame", from: bob)
    #expect(joined.commands == ["JOIN", "332", "333", "353", "366"])
    #expect(joined[1].numericParams == ["#Lab", "Spectroscopy"])
    #expect(
      h.exchange("MODE #lab b", from: bob).with("367").map { $0.numericParams[1] } == ["spam!*@*"])
    let created = h.exchange("MODE #lab", from: bob).with("329")
    #expect(created.first?.numericParams == ["#Lab", "1500000000"])

    let grace = h.registerLoggedIn(nick: "grace", as: Self.grace)
    let opped = h.exchange("JOIN #lab sesame", from: grace)
    #expect(opped.commands.last == "MODE")
    #expect(opped.last?.params == ["#Lab", "+o", "grace"])
    #expect(h.roomEvents.isEmpty, "joins change nothing persistent")
  }
}

extension CoreHarness {
  /// The `roomChanged` and `roomDeleted` events raised so far, in order.
  var roomEvents: [CoreEvent] {
    _ = lines(for: ClientID(0))
    return events.filter {
      switch $0 {
      case .roomChanged, .roomDeleted: true
      default: false
      }
    }
  }
}
