import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("MONITOR")
struct MonitorTests {
  @Test func addAnswersWithTheStateOfEachNick() {
    let h = CoreHarness()
    let watcher = h.connectRegistered("watcher")
    h.connectRegistered("Ada", user: "ada")
    let reply = h.exchange("MONITOR + ada,bob,not@a.nick", from: watcher)
    #expect(reply.commands == ["730", "731"])
    #expect(reply[0].params == ["watcher", "Ada!ada@198.51.100.7"])
    #expect(reply[1].params == ["watcher", "bob"])
    #expect(
      h.exchange("MONITOR L", from: watcher).map(\.params) == [
        ["watcher", "ada,bob"], ["watcher", "End of MONITOR list"],
      ])
  }

  @Test func comingOnlineRenamingAndQuittingAreAnnounced() {
    let h = CoreHarness()
    let watcher = h.connectRegistered("watcher")
    _ = h.exchange("MONITOR + ada,lovelace", from: watcher)
    let ada = h.register(nick: "ada", user: "al")
    #expect(h.messages(for: watcher).map(\.params) == [["watcher", "ada!al@198.51.100.7"]])
    h.send("NICK lovelace", from: ada)
    let renamed = h.messages(for: watcher)
    #expect(renamed.commands == ["731", "730"])
    #expect(renamed.map { $0.params.last } == ["ada", "lovelace!al@198.51.100.7"])
    h.send("QUIT :bye", from: ada)
    #expect(h.messages(for: watcher).map(\.params) == [["watcher", "lovelace"]])
  }

  @Test func removeClearAndStatus() {
    let h = CoreHarness()
    let watcher = h.connectRegistered("watcher")
    h.connectRegistered("ada")
    _ = h.exchange("MONITOR + ada,bob,carol", from: watcher)
    #expect(h.exchange("MONITOR - BOB", from: watcher).isEmpty)
    let status = h.exchange("MONITOR S", from: watcher)
    #expect(status.commands == ["730", "731"])
    #expect(status[1].params.last == "carol")
    #expect(h.exchange("MONITOR C", from: watcher).isEmpty)
    #expect(h.exchange("MONITOR L", from: watcher).commands == ["733"])
    #expect(h.exchange("MONITOR S", from: watcher).isEmpty)
  }

  @Test func aFullListRefusesTheRestWith734() {
    let h = CoreHarness { $0.limits.monitorEntries = 2 }
    let watcher = h.connectRegistered("watcher")
    let reply = h.exchange("MONITOR + a,b,c,d", from: watcher)
    #expect(reply.commands == ["734", "731"])
    #expect(reply[0].params == ["watcher", "2", "c,d", "Monitor list is full"])
    #expect(reply[1].params.last == "a,b")
    // A nick already on the list does not count again.
    #expect(h.exchange("MONITOR + a", from: watcher).commands == ["731"])
  }

  @Test func longAnswersAreSplitUnder512Bytes() {
    let h = CoreHarness { $0.limits.monitorEntries = 200 }
    let watcher = h.connectRegistered("watcher")
    let nicks = (0..<120).map { "someone\($0)" }
    let reply = h.exchange("MONITOR + " + nicks.joined(separator: ","), from: watcher)
    #expect(reply.count > 1)
    #expect(reply.allSatisfy { $0.command == "731" })
    #expect(reply.flatMap { $0.params.last!.split(separator: ",").map(String.init) } == nicks)
    for line in h.core.isupportTokens where line.hasPrefix("MONITOR=") {
      #expect(line == "MONITOR=200")
    }
  }

  @Test func missingOrUnknownModifier() {
    let h = CoreHarness()
    let watcher = h.connectRegistered("watcher")
    #expect(h.exchange("MONITOR", from: watcher).commands == ["461"])
    #expect(h.exchange("MONITOR +", from: watcher).commands == ["461"])
    #expect(h.exchange("MONITOR + :", from: watcher).commands == ["461"])
    #expect(h.exchange("MONITOR X ada", from: watcher).commands == ["421"])
  }

  @Test func extendedMonitorCarriesAwayAndSetnameWithoutASharedChannel() {
    let h = CoreHarness()
    let extended = h.connectRegistered(
      "extended", capabilities: [.extendedMonitor, .awayNotify, .setname])
    let plain = h.connectRegistered("plain", capabilities: [.awayNotify])
    let sharing = h.connectRegistered(
      "sharing", capabilities: [.extendedMonitor, .awayNotify])
    let ada = h.connectRegistered("ada")
    h.place(ada, in: "#lab")
    h.place(sharing, in: "#lab")
    for id in [extended, plain, sharing] { _ = h.exchange("MONITOR + ada", from: id) }
    h.send("AWAY :in a seminar", from: ada)
    #expect(h.messages(for: extended).commands == ["AWAY"])
    #expect(h.messages(for: plain).isEmpty)
    // Told once, through the channel, not twice.
    #expect(h.messages(for: sharing).commands == ["AWAY"])
    h.send("SETNAME :Ada L.", from: ada)
    #expect(h.messages(for: extended).commands == ["SETNAME"])
  }
}
