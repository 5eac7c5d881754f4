import Testing

@testable import LyceumCore
@testable import LyceumServer

/// `OutputHolds` against a plain model of what it promises, over random interleavings of the
/// hub's calls: each connection gets its output in the order of the calls; a kept part's bytes
/// (or, when it failed, its sender's failure and nothing to anyone else) go out only once its
/// ticket and every older ticket are settled; output behind held bytes waits for them; nothing
/// is lost or sent twice.
@Suite struct OutputHoldsModelTests {
  /// A seeded generator (SplitMix64), so that a failing seed can be replayed.
  private struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// One item of output the model expects for a connection, in call order.
  private struct Expected {
    /// It may go out once every ticket up to this one is settled.
    var needs: UInt64
    /// The ticket whose outcome picks its bytes (nil: output that depends on no commit).
    var own: UInt64?
    var ifKept: [UInt8]
    var ifFailed: [UInt8]
  }

  @Test(arguments: 0..<200) func randomInterleavingsFollowTheModel(seed: UInt64) {
    var random = Generator(state: seed)
    var holds = OutputHolds(limit: 1 << 30)
    var actions: [OutputHolds.Action] = []
    let clients = (1...5).map { ClientID(UInt64($0)) }
    var expected: [ClientID: [Expected]] = [:]
    var outcomes: [UInt64: Bool] = [:]
    var unsettled: [UInt64] = []
    /// The ticket of the outbox being handed over (the hub fills a ticket when it makes it).
    var current: UInt64?
    var settledThrough: UInt64 = 0
    var nextByte: UInt8 = 0
    func bytes() -> [UInt8] {
      nextByte &+= 1
      return [nextByte]
    }
    func needs(_ client: ClientID, atLeast ticket: UInt64) -> UInt64 {
      max(ticket, expected[client, default: []].last?.needs ?? 0)
    }
    func bytesOf(_ item: Expected) -> [UInt8] {
      guard let own = item.own else { return item.ifKept }
      return outcomes[own]! ? item.ifKept : item.ifFailed
    }
    /// What each connection must have been sent by now: every item whose tickets are settled.
    func checkReleased() {
      var sent: [ClientID: [UInt8]] = [:]
      for action in actions {
        switch action {
        case .send(let client, let bytes): sent[client, default: []] += bytes
        case .sendPart(let released): released.deliveries { sent[$0, default: []] += $2 }
        default: break
        }
      }
      for client in clients {
        let want = expected[client, default: []].filter { $0.needs <= settledThrough }
          .flatMap(bytesOf)
        #expect(sent[client, default: []] == want, "seed \(seed), client \(client)")
      }
    }

    for _ in 0..<300 {
      switch random.next() % 10 {
      case 0, 1:
        current = holds.makeTicket()
        unsettled.append(current!)
      case 2, 3, 4:
        guard let ticket = current else { continue }
        var part = OutboxPart()
        let recipients = clients.filter { _ in random.next() % 2 == 0 }
        let sender = clients.randomElement(using: &random)!
        part.writes = recipients.map {
          OutboxWrite(client: $0, transportHandle: nil, bytes: bytes())
        }
        let failure = random.next() % 2 == 0 ? bytes() : nil
        if let failure {
          part.failure = OutboxWrite(client: sender, transportHandle: nil, bytes: failure)
        }
        holds.addKept(part, ticket: ticket, &actions)
        for write in part.writes {
          let ifFailed = failure.map { write.client == sender ? $0 : [] } ?? write.bytes
          expected[write.client, default: []].append(
            Expected(
              needs: needs(write.client, atLeast: ticket), own: ticket, ifKept: write.bytes,
              ifFailed: ifFailed))
        }
        if let failure, !recipients.contains(sender) {
          expected[sender, default: []].append(
            Expected(
              needs: needs(sender, atLeast: ticket), own: ticket, ifKept: [], ifFailed: failure))
        }
      case 5, 6:
        let client = clients.randomElement(using: &random)!
        let plain = bytes()
        holds.add(plain, for: client, &actions)
        expected[client, default: []].append(
          Expected(needs: needs(client, atLeast: 0), own: nil, ifKept: plain, ifFailed: plain))
      default:
        guard !unsettled.isEmpty else { continue }
        let ticket = unsettled.remove(at: Int(random.next() % UInt64(unsettled.count)))
        if ticket == current { current = nil }
        outcomes[ticket] = random.next() % 3 != 0
        holds.resolve(ticket, kept: outcomes[ticket]!, &actions)
        while outcomes[settledThrough + 1] != nil { settledThrough += 1 }
        checkReleased()
      }
    }
    for ticket in unsettled {
      outcomes[ticket] = true
      holds.resolve(ticket, kept: true, &actions)
    }
    while outcomes[settledThrough + 1] != nil { settledThrough += 1 }
    checkReleased()
    #expect(holds.isIdle)
  }
}
