import LyceumProtocol
import Testing

@testable import LyceumCore

/// `OPER` guessing is throttled per address and per operator name, and every attempt is
/// reported for the log (protocol/PROTOCOL.md § OPER).
@Suite("OPER throttle and audit")
struct OperThrottleTests {
  private func harness() -> CoreHarness {
    CoreHarness { $0.operators = [OperatorCredential(name: "admin", password: "s3cret")] }
  }

  private func audits(_ h: CoreHarness) -> [AuditEvent] {
    h.events.compactMap {
      if case .audit(let event) = $0 { return event }
      return nil
    }
  }

  @Test func theThirdFailureClosesAndTheRightPasswordIsRefusedUntilTheWindowPasses() throws {
    let h = harness()
    let mallory = h.connectRegistered("mallory")
    #expect(h.exchange("OPER admin guess1", from: mallory).commands == ["464"])
    #expect(h.exchange("OPER admin guess2", from: mallory).commands == ["464"])
    let third = h.exchange("OPER admin guess3", from: mallory)
    #expect(third.commands == ["464", "ERROR"])
    #expect(h.closed == [mallory])

    // A new connection from the same address, with the right password: still refused.
    let again = h.connectRegistered("mallory2")
    let refused = h.exchange("OPER admin s3cret", from: again)
    #expect(refused.commands == ["464", "ERROR"])
    #expect(refused.first?.numericParams.last?.hasPrefix("Too many failed OPER attempts") == true)
    #expect(h.closed == [mallory, again])

    h.clock.advance(by: .seconds(61))
    let later = h.connectRegistered("mallory3")
    #expect(h.exchange("OPER admin s3cret", from: later).commands == ["381", "MODE"])
  }

  /// Spreading the guesses over addresses does not help: the name is counted too.
  @Test func failuresAreCountedPerOperatorNameAcrossAddresses() {
    let h = harness()
    for (index, ip) in ["192.0.2.1", "192.0.2.2", "192.0.2.3"].enumerated() {
      let id = h.connectRegistered("guesser\(index)", ip: ip)
      _ = h.exchange("OPER admin wrong\(index)", from: id)
    }
    let fresh = h.connectRegistered("fresh", ip: "198.51.100.9")
    #expect(h.exchange("OPER admin s3cret", from: fresh).commands == ["464", "ERROR"])
    #expect(h.closed.contains(fresh))
  }

  @Test func everyAttemptIsAuditedWithoutThePassword() {
    let h = harness()
    let alice = h.connectRegistered("alice", ip: "192.0.2.7")
    _ = h.exchange("OPER admin wrong-pass", from: alice)
    _ = h.exchange("OPER admin s3cret", from: alice)
    let prefix = h.client(alice).prefix
    #expect(
      audits(h) == [
        .oper(name: "admin", client: prefix, ip: "192.0.2.7", outcome: .wrongCredentials),
        .oper(name: "admin", client: prefix, ip: "192.0.2.7", outcome: .succeeded),
      ])
    #expect(!"\(h.events)".contains("s3cret") && !"\(h.events)".contains("wrong-pass"))
  }
}
