import LyceumProtocol
import Testing

@testable import LyceumCore

/// `CAP`, per the IRCv3 "Capability Negotiation" and "Strict Transport Security" specs.
@Suite("CAP")
struct CapTests {
  /// The capability names of a `CAP … LS` reply's last parameter.
  private func advertised(_ reply: [IRCMessage]) -> [String] {
    reply.flatMap { $0.params.last?.split(separator: " ").map(String.init) ?? [] }
  }

  @Test func ls302ShowsStsPortToPlaintextClients() {
    let h = CoreHarness { $0.stsPort = 6697 }
    let id = h.connect(isTLS: false)
    let reply = h.exchange("CAP LS 302", from: id)
    #expect(reply.commands == ["CAP"])
    #expect(reply.first?.source == "irc.test")
    #expect(reply.first?.params.prefix(2) == ["*", "LS"])
    let caps = advertised(reply)
    #expect(caps.contains("sts=port=6697"))
    #expect(caps.contains("echo-message"))
    #expect(caps.contains("labeled-response"))
    #expect(caps.contains("draft/no-implicit-names"))
    #expect(!caps.contains { $0.hasPrefix("sts=duration") })
  }

  /// (With history on as well, the list no longer fits one line since `draft/multiline`
  /// and `draft/message-redaction`; `aListTooLongForOneLine…` covers the split.)
  @Test func theWholeListFitsOneLineWhenItCan() {
    let h = CoreHarness {
      $0.stsPort = 6697
      $0.historyEnabled = false
      $0.serverName = "lyceum.example.edu"
    }
    let id = h.connect(isTLS: false)
    let reply = h.exchange("CAP LS 302", from: id)
    #expect(reply.count == 1)
    #expect(reply.first?.params.count == 3)  // `*`, `LS`, the list: no continuation marker
    for message in reply { #expect(message.serialized().count <= 512) }
    #expect(advertised(reply).contains("draft/multiline=max-bytes=4096,max-lines=100"))
  }

  @Test func aListTooLongForOneLineIsSplitIntoLinesThatFit() {
    let h = CoreHarness {
      $0.stsPort = 6697
      $0.historyEnabled = true
      $0.serverName = String(repeating: "a", count: 200) + ".example.edu"
    }
    let id = h.connect(isTLS: false)
    let reply = h.exchange("CAP LS 302", from: id)
    #expect(reply.count == 2)
    #expect(reply.first?.params.dropFirst().first == "LS")
    #expect(reply.first?.params.dropFirst(2).first == "*")
    // `serialized()` includes the CR LF.
    for message in reply { #expect(message.serialized().count <= 512) }
  }

  @Test func ls302ShowsStsDurationToTLSClients() {
    let h = CoreHarness {
      $0.stsPort = 6697
      $0.stsDurationSeconds = 2_592_000
    }
    let id = h.connect(isTLS: true)
    let caps = advertised(h.exchange("CAP LS 302", from: id))
    #expect(caps.contains("sts=duration=2592000"))
    #expect(!caps.contains { $0.hasPrefix("sts=port") })
  }

  @Test func noStsWithoutStsPort() {
    let h = CoreHarness()
    for isTLS in [false, true] {
      let id = h.connect(isTLS: isTLS)
      let caps = advertised(h.exchange("CAP LS 302", from: id))
      #expect(!caps.isEmpty)
      #expect(!caps.contains { $0 == "sts" || $0.hasPrefix("sts=") })
    }
  }

  @Test func lsWithoutVersionHasNoValues() {
    let h = CoreHarness { $0.stsPort = 6697 }
    let id = h.connect(isTLS: false)
    let reply = h.exchange("CAP LS", from: id)
    #expect(reply.first?.params.count == 3)
    let caps = advertised(reply)
    #expect(caps.contains("sts"))
    #expect(!caps.contains { $0.contains("=") })
  }

  @Test func reqAckThenList() {
    let h = CoreHarness()
    let id = h.connect()
    h.send("CAP LS", from: id)
    let ack = h.exchange("CAP REQ :multi-prefix server-time", from: id)
    #expect(ack.count == 1)
    #expect(ack.first?.params == ["*", "ACK", "multi-prefix server-time"])
    let list = h.exchange("CAP LIST", from: id)
    #expect(list.first?.params == ["*", "LIST", "multi-prefix server-time"])
  }

  @Test func reqIsAtomic() {
    let h = CoreHarness()
    let id = h.connect()
    let nak = h.exchange("CAP REQ :echo-message bogus", from: id)
    #expect(nak.count == 1)
    #expect(nak.first?.params == ["*", "NAK", "echo-message bogus"])
    #expect(!h.session(id).capabilities.contains(.echoMessage))
    #expect(h.session(id).capabilities.isEmpty)
  }

  @Test func capabilityCanBeRemoved() {
    let h = CoreHarness()
    let id = h.register(nick: "alice", caps: ["echo-message", "server-time"])
    let ack = h.exchange("CAP REQ :-echo-message", from: id)
    #expect(ack.first?.params == ["alice", "ACK", "-echo-message"])
    #expect(!h.session(id).capabilities.contains(.echoMessage))
    #expect(h.session(id).capabilities.contains(.serverTime))
  }

  @Test func unknownSubcommandGets410() {
    let h = CoreHarness()
    let id = h.connect()
    let reply = h.exchange("CAP FROB", from: id)
    #expect(reply.commands == ["410"])
    #expect(reply.first?.params == ["*", "FROB", "Invalid CAP command"])
  }

  @Test func stsIsNotRequestable() {
    let h = CoreHarness { $0.stsPort = 6697 }
    let id = h.connect(isTLS: false)
    let reply = h.exchange("CAP REQ sts", from: id)
    #expect(reply.first?.params == ["*", "NAK", "sts"])
    #expect(!h.session(id).capabilities.contains(.sts))
  }

  @Test func capAfterRegistrationIsAddressedToNick() {
    let h = CoreHarness()
    let id = h.register(nick: "alice")
    let reply = h.exchange("CAP REQ :away-notify", from: id)
    #expect(reply.first?.params == ["alice", "ACK", "away-notify"])
    #expect(h.exchange("CAP END", from: id).isEmpty)
  }
}
