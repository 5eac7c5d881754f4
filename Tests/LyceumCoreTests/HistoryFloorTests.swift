import LyceumProtocol
import Testing

@testable import LyceumCore

/// What an ended room, or a deleted account, kept is never shown to whoever takes its name
/// later (protocol/HISTORY.md § 4): every reader — `CHATHISTORY` (entries and `TARGETS`),
/// `THREADS`, `THREAD` and replay on join — hides what is older than the target's floor.
@Suite("History floors")
struct HistoryFloorTests {
  /// eve's secret room ends; mallory, logged in, creates `#hidden` again (which registers it to
  /// her) and must read none of eve's conversation in any way.
  @Test func aSecretRoomTakenOverByALoggedInUserShowsNothingOfTheEarlierOne() throws {
    let rig = HistoryRig()
    let eve = rig.h.connectRegistered("eve", capabilities: HistoryRig.full)
    rig.say("JOIN #hidden", from: eve)
    rig.say("MODE #hidden +si", from: eve)
    let root = try #require(rig.say("PRIVMSG #hidden :the password is swordfish", from: eve).first)
    rig.say("@+reply=\(root.msgid) PRIVMSG #hidden :noted", from: eve)
    let parted = rig.say("PART #hidden", from: eve)
    let mallory = rig.h.connectRegistered("mallory", capabilities: HistoryRig.full)
    rig.logIn(mallory, as: "mallory")
    rig.say("JOIN #hidden", from: mallory)
    #expect(rig.h.channel("#hidden").isRegistered)

    let latest = rig.ask("CHATHISTORY LATEST #hidden * 10", from: mallory)
    #expect(HistoryRig.texts(latest).isEmpty)
    let before = rig.ask(
      "CHATHISTORY BEFORE #hidden timestamp=2030-01-01T00:00:00.000Z 10", from: mallory)
    #expect(HistoryRig.texts(before).isEmpty)
    let threads = rig.ask("THREADS #hidden", from: mallory)
    #expect(threads.with("THREADS").isEmpty)
    let thread = rig.ask("THREAD #hidden \(root.msgid) LATEST * 10", from: mallory)
    #expect(HistoryRig.texts(thread).isEmpty)
    let from = ServerTime.format(milliseconds: root.timeMilliseconds - 1)
    let to = ServerTime.format(milliseconds: (parted.first?.timeMilliseconds ?? 0) + 1)
    let targets = rig.ask(
      "CHATHISTORY TARGETS timestamp=\(from) timestamp=\(to) 10", from: mallory)
    #expect(targets.with("CHATHISTORY").isEmpty)

    // A plain client joining later is not replayed eve's lines either.
    let plain = rig.h.connectRegistered("plain")
    let replay = rig.ask("JOIN #hidden", from: plain)
    #expect(!HistoryRig.texts(replay).contains { $0.contains("swordfish") || $0 == "noted" })
  }

  /// Registering a name with `ROOM REGISTER` does not open what an earlier, ended channel of
  /// that name kept: the room's history starts with the channel it was registered in.
  @Test func registeringAChannelLaterDoesNotOpenAnEarlierOnesHistory() {
    let rig = HistoryRig()
    let eve = rig.h.connectRegistered("eve", capabilities: HistoryRig.full)
    rig.say("JOIN #lab", from: eve)
    rig.say("PRIVMSG #lab :before", from: eve)
    rig.say("PART #lab", from: eve)
    let bob = rig.h.connectRegistered("bob", capabilities: HistoryRig.full)
    rig.say("JOIN #lab", from: bob)
    rig.say("PRIVMSG #lab :after", from: bob)
    rig.logIn(bob, as: "bob")
    rig.say("ROOM REGISTER #lab", from: bob)
    #expect(rig.h.channel("#lab").isRegistered)
    let texts = HistoryRig.texts(rig.ask("CHATHISTORY LATEST #lab * 10", from: bob))
    #expect(texts == ["after"])
  }

  /// A registered room restored at start-up keeps the floor it was registered with: what the
  /// store holds from before it (an earlier channel of the name) stays hidden after a restart.
  @Test func aRestoredRoomKeepsItsFloor() throws {
    let rig = HistoryRig()
    let eve = rig.h.connectRegistered("eve", capabilities: HistoryRig.full)
    rig.say("JOIN #lab", from: eve)
    rig.say("PRIVMSG #lab :before", from: eve)
    rig.say("PART #lab", from: eve)
    rig.h.clock.advance(by: .seconds(10))
    let registeredAt = rig.h.clock.wallClockMilliseconds()
    rig.h.core.restoreRooms([
      RoomRecord(
        name: "#lab", foldedName: "#lab", owner: "ada", createdAtMilliseconds: registeredAt)
    ])
    let ada = rig.h.connectRegistered("ada", capabilities: HistoryRig.full)
    rig.logIn(ada, as: "ada")
    rig.say("JOIN #lab", from: ada)
    rig.say("PRIVMSG #lab :kept", from: ada)
    let texts = HistoryRig.texts(rig.ask("CHATHISTORY LATEST #lab * 10", from: ada))
    #expect(texts == ["kept"])
  }

  /// alice's account is deleted and someone else registers the name: the new account shares
  /// no direct history with the old one, and nor does bob's view of "alice".
  @Test func aReRegisteredAccountNameReadsNoneOfTheOldAccountsDirectMessages() {
    let rig = HistoryRig()
    let alice = rig.h.connectRegistered("alice", capabilities: HistoryRig.full)
    let bob = rig.h.connectRegistered("bob", capabilities: HistoryRig.full)
    rig.logIn(alice, as: "alice")
    rig.logIn(bob, as: "bob")
    rig.say("PRIVMSG bob :my private note", from: alice)
    rig.say("QUIT", from: alice)
    rig.h.core.loadAccounts([rig.h.core.accounts["bob"]!])  // alice's account was deleted
    rig.h.clock.advance(by: .seconds(1))
    let mallory = rig.h.connectRegistered("mallory", capabilities: HistoryRig.full)
    rig.h.send("REGISTER alice * pw", from: mallory)
    rig.h.answer(
      .registered(
        AccountSummary(
          name: "alice", foldedName: "alice",
          createdAtMilliseconds: rig.h.clock.wallClockMilliseconds()),
        via: .password(stamp: "new")),
      for: mallory)
    #expect(rig.h.client(mallory).account?.name == "alice")
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST bob * 10", from: mallory)).isEmpty)
    let targets = rig.ask(
      "CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2030-01-01T00:00:00.000Z 10",
      from: mallory)
    #expect(targets.with("CHATHISTORY").isEmpty)
    #expect(HistoryRig.texts(rig.ask("CHATHISTORY LATEST alice * 10", from: bob)).isEmpty)
  }
}
