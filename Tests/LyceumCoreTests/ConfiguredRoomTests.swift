import LyceumProtocol
import Testing

@testable import LyceumCore

/// Rooms from the configuration: created owned by the server, not by their first visitor;
/// stored rooms keep their state; a reload adds new ones; who may change them.
@Suite("Configured rooms")
struct ConfiguredRoomTests {
  static let ada = Accounts.summary("Ada", institution: "Uppsala University")

  static let lobby = ConfiguredRoom(
    name: "#Lobby", topic: "Welcome", description: "Start here", kind: .social)
  static let partners = ConfiguredRoom(
    name: "#partners", kind: .exchange, openTo: ["Uppsala*"], operators: ["Ada"])

  func harness(_ rooms: [ConfiguredRoom] = [lobby, partners]) -> CoreHarness {
    let h = CoreHarness { $0.rooms = rooms }
    h.core.loadAccounts([Self.ada])
    h.core.restoreRooms([])
    return h
  }

  @Test func configuredRoomsExistAtStartOwnedByTheServerAndAreStored() {
    let h = harness()
    let lobby = h.channel("#lobby")
    #expect(lobby.owner == ServerOwnedRoom.owner && lobby.isServerOwned)
    #expect(lobby.name == "#Lobby" && lobby.topic?.text == "Welcome")
    #expect(lobby.topic?.setBy == "irc.test")
    #expect(lobby.kind == .social && lobby.roomDescription == "Start here")
    #expect(lobby.modes == ChannelModes())
    let partners = h.channel("#partners")
    #expect(partners.modes.inviteOnly)
    #expect(partners.inviteExceptions.map(\.mask) == ["$i:Uppsala*"])
    #expect(partners.operatorAccounts == ["ada"])
    _ = h.accountRequests()  // drains the outbox into `events`
    let stored = h.events.compactMap { event -> String? in
      guard case .roomChanged(let record) = event else { return nil }
      return record.foldedName
    }
    #expect(stored == ["#lobby", "#partners"])
  }

  @Test func theFirstVisitorIsNotMadeOwnerOrOperator() {
    let h = harness()
    let bob = h.connectRegistered("bob")
    let join = h.exchange("JOIN #lobby", from: bob)
    #expect(join.contains { $0.command == "353" && $0.params.last == "bob" })
    #expect(h.channel("#lobby").members[bob]?.isOperator == false)
    let info = h.exchange("ROOM INFO #lobby", from: bob)
    #expect(info.first?.params.prefix(4) == ["ROOM", "INFO", "#Lobby", "irc.test"])
  }

  @Test func theRoomsOperatorAccountsAndIRCOperatorsMayChangeIt() {
    let h = harness()
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    let join = h.exchange("JOIN #partners", from: ada)
    #expect(join.last?.command == "MODE")  // opped by account
    let set = h.exchange("ROOM SET #partners DESCRIPTION :Uppsala and Salamanca", from: ada)
    #expect(set.first?.command == "NOTE")
    let bob = h.connectRegistered("bob")
    _ = h.exchange("JOIN #lobby", from: bob)
    #expect(h.exchange("ROOM SET #lobby KIND research", from: bob).first?.command == "FAIL")
    h.client(bob).isOperator = true
    #expect(h.exchange("ROOM SET #lobby KIND research", from: bob).first?.command == "NOTE")
    // Only an IRC operator unregisters it: no account is its owner.
    let unregister = h.exchange("ROOM UNREGISTER #lobby", from: bob)
    #expect(unregister.first?.params.prefix(2) == ["ROOM", "UNREGISTERED"])
  }

  @Test func aStoredRoomKeepsItsStateOverTheConfiguration() {
    let h = CoreHarness { $0.rooms = [Self.lobby] }
    let stored = RoomRecord(
      name: "#lobby", foldedName: "#lobby", owner: ServerOwnedRoom.owner,
      topic: Topic(text: "Changed over IRC", setBy: "ada", setAtMilliseconds: 5),
      createdAtMilliseconds: 1, description: "Edited", kind: .exchange)
    h.core.restoreRooms([stored])
    _ = h.accountRequests()
    let lobby = h.channel("#lobby")
    #expect(lobby.topic?.text == "Changed over IRC")
    #expect(lobby.kind == .exchange && lobby.roomDescription == "Edited")
    #expect(!h.events.contains { if case .roomChanged = $0 { true } else { false } })
  }

  @Test func aRoomRegisteredToAnAccountStaysItsOwn() {
    let h = CoreHarness { $0.rooms = [Self.lobby] }
    let record = RoomRecord(
      name: "#lobby", foldedName: "#lobby", owner: "ada", createdAtMilliseconds: 1)
    h.core.restoreRooms([record])
    #expect(h.channel("#lobby").owner == "ada")
    #expect(h.channel("#lobby").kind == nil)
  }

  @Test func aReloadCreatesNewRoomsTakesOverOrdinaryChannelsAndAddsOperators() {
    let h = harness([Self.lobby])
    let bob = h.connectRegistered("bob")
    _ = h.exchange("JOIN #seminar", from: bob)
    #expect(h.channel("#seminar").isRegistered == false)
    var configuration = h.core.configuration
    configuration.rooms = [
      ConfiguredRoom(name: "#lobby", operators: ["ada"]),
      ConfiguredRoom(name: "#seminar", topic: "Fridays", kind: .research),
    ]
    h.core.reconfigure(configuration)
    let seminar = h.channel("#seminar")
    #expect(seminar.isServerOwned && seminar.kind == .research)
    #expect(seminar.topic?.text == "Fridays")
    #expect(seminar.members[bob] != nil)
    // The lobby keeps its state and gains the operator; the removed room stays.
    #expect(h.channel("#lobby").topic?.text == "Welcome")
    #expect(h.channel("#lobby").operatorAccounts == ["ada"])
    configuration.rooms = []
    h.core.reconfigure(configuration)
    #expect(h.channel("#lobby").isServerOwned)
  }
}
