import LyceumProtocol
import Testing

@testable import LyceumCore

/// Two cores as two nodes of a network, with no database: what one publishes is applied by the
/// other, and nick claims are answered by a dictionary standing in for `network_nicks`. The
/// real database, `NOTIFY` and leases are tested end to end in `NetworkE2ETests`.
@Suite struct NetworkCoreTests {
  /// Two linked nodes and the network's nick table.
  final class Network {
    let a = CoreHarness()
    let b = CoreHarness()
    /// Folded nick → (node, client).
    var nicks: [String: (String, UInt64)] = [:]

    init() {
      a.core.joinNetwork(node: "a")
      b.core.joinNetwork(node: "b")
    }

    func node(_ name: String) -> CoreHarness { name == "a" ? a : b }

    /// Answers every nick claim raised so far and carries every publication to the other
    /// node, until nothing is left to do.
    func settle() {
      var busy = true
      while busy {
        busy = false
        for (name, harness) in [("a", a), ("b", b)] {
          for event in harness.takeEvents() {
            switch event {
            case .claimNick(let claim):
              busy = true
              let holder = nicks[claim.folded]
              let free = holder == nil || (holder?.0 == name && holder?.1 == claim.client)
              if free { nicks[claim.folded] = (name, claim.client) }
              harness.perform { $0.nickClaimAnswered(claim, claimed: free) }
            case .releaseNick(let release):
              nicks = nicks.filter {
                !($0.value.0 == name && $0.value.1 == release.client
                  && (release.nick == nil || $0.key == release.nick))
              }
            default: break
            }
          }
          for publication in harness.takePublished() {
            busy = true
            let other = name == "a" ? b : a
            for event in publication.events {
              other.perform {
                $0.applyNetworkEvent(NetworkEnvelope(origin: name, event: event))
              }
            }
          }
        }
      }
    }
  }

  @Test func aMessageReachesTheOtherNodesMembersWithTheSameMsgid() {
    let network = Network()
    let alice = network.a.register(nick: "alice", caps: ["message-tags", "echo-message"])
    network.settle()
    network.a.send("JOIN #room", from: alice)
    network.settle()
    let bob = network.b.register(nick: "bob", caps: ["message-tags"])
    network.settle()
    network.b.send("JOIN #room", from: bob)
    network.settle()
    let names = network.b.lines(for: bob).filter { $0.contains(" 353 ") }
    #expect(names.contains { $0.contains("@alice") && $0.contains("bob") }, "\(names)")
    _ = network.a.lines(for: alice)
    network.a.send("PRIVMSG #room :hello", from: alice)
    network.settle()
    let got = network.b.messages(for: bob).filter { $0.command == "PRIVMSG" }
    #expect(got.map { $0.params.last ?? "" } == ["hello"])
    #expect(got.first?.source?.hasPrefix("alice!") == true)
    let echo = network.a.messages(for: alice).filter { $0.command == "PRIVMSG" }
    let msgid = got.first?.tag("msgid") ?? nil
    #expect(msgid != nil && msgid == echo.first?.tag("msgid") ?? nil)
  }

  @Test func registrationWaitsForTheNetworksAnswerAndA433RefusesTheNick() {
    let network = Network()
    network.a.register(nick: "alice")
    network.settle()
    let copy = network.b.connect()
    network.b.send("NICK alice", from: copy)
    // Known on B already: refused at once, no claim needed.
    #expect(network.b.lines(for: copy).contains { $0.contains(" 433 ") })
    // Claimed on A but not yet known on B: B asks, the network says no.
    network.a.register(nick: "dora")
    let late = network.b.connect()
    network.b.send("NICK dora", from: late)
    network.b.send("USER dora 0 * :Dora", from: late)
    network.b.send("PING :after", from: late)
    #expect(network.b.lines(for: late).isEmpty, "nothing before the claim is answered")
    network.settle()
    let lines = network.b.lines(for: late)
    #expect(lines.contains { $0.contains(" 433 ") && $0.contains("dora") }, "\(lines)")
    #expect(!lines.contains { $0.contains(" 001 ") })
    // The PING that waited behind the claim is answered after it.
    #expect(lines.last?.contains("PONG") == true, "\(lines)")
  }

  @Test func aNickChangeReleasesTheOldNickOnTheNetwork() {
    let network = Network()
    let alice = network.a.register(nick: "alice")
    network.settle()
    network.a.send("NICK alicia", from: alice)
    network.settle()
    #expect(network.nicks["alice"] == nil)
    #expect(network.nicks["alicia"]?.0 == "a")
    #expect(network.b.core.client(named: "alicia")?.home?.node == "a")
    #expect(network.b.core.client(named: "alice") == nil)
  }

  @Test func aLostNodesClientsQuitForTheOthers() {
    let network = Network()
    let alice = network.a.register(nick: "alice")
    network.settle()
    network.a.send("JOIN #room", from: alice)
    let bob = network.b.register(nick: "bob")
    network.settle()
    network.b.send("JOIN #room", from: bob)
    network.settle()
    _ = network.b.lines(for: bob)
    network.b.perform {
      $0.applyNetworkEvent(NetworkEnvelope(origin: "a", event: .nodeLost(node: "a")))
    }
    let quit = network.b.messages(for: bob).filter { $0.command == "QUIT" }
    #expect(quit.first?.source?.hasPrefix("alice!") == true, "\(quit)")
    #expect(network.b.core.client(named: "alice") == nil)
    #expect(network.b.channel("#room").members.count == 1)
  }

  @Test func aBurstRepeatedChangesNothing() {
    let network = Network()
    let alice = network.a.register(nick: "alice")
    network.settle()
    network.a.send("JOIN #room", from: alice)
    network.settle()
    network.a.perform { $0.applyNetworkEvent(NetworkEnvelope(origin: "b", event: .hello)) }
    network.settle()
    network.a.perform { $0.applyNetworkEvent(NetworkEnvelope(origin: "b", event: .hello)) }
    network.settle()
    let remote = network.b.core.clients.values.filter { $0.home != nil }
    #expect(remote.count == 1)
    #expect(network.b.channel("#room").members.count == 1)
    #expect(network.b.core.clientCounts.registered == 1)
  }

  @Test func eventsFromThisNodeItselfAreIgnored() {
    let network = Network()
    let alice = network.a.register(nick: "alice")
    network.settle()
    let user = network.a.core.networkUser(network.a.client(alice))
    network.a.perform {
      $0.applyNetworkEvent(NetworkEnvelope(origin: "a", event: .introduce(user)))
    }
    #expect(network.a.core.clients.values.filter { $0.home != nil }.isEmpty)
  }

  @Test func lusersCountsTheWholeNetwork() {
    let network = Network()
    network.a.register(nick: "alice")
    let bob = network.b.register(nick: "bob")
    network.settle()
    let lusers = network.b.exchange("LUSERS", from: bob).map(\.numericParams)
    #expect(lusers.contains(["There are 2 users and 0 invisible on 2 servers"]), "\(lusers)")
    #expect(lusers.contains(["I have 1 clients and 1 servers"]), "\(lusers)")
    #expect(lusers.contains(["1", "1", "Current local users 1, max 1"]), "\(lusers)")
    #expect(lusers.contains(["2", "2", "Current global users 2, max 2"]), "\(lusers)")
  }
}
