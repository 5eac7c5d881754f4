import LyceumCore
import Testing

@testable import LyceumServer

/// The per-IP connection limit and throttle on their own, with a manual clock.
@Suite struct ConnectionGateTests {
  static func gate(
    limit: Int = 2, rate: RateConfiguration = RateConfiguration(count: 3, window: .seconds(10)),
    exempt: [String] = [], clock: ManualClock
  ) -> ConnectionGate {
    var configuration = ConnectionsConfiguration()
    configuration.perIPLimit = limit
    configuration.perIPRate = rate
    configuration.exemptIPs = exempt
    return ConnectionGate(configuration, clock: clock)
  }

  @Test func ipv6AddressesOfOneSlash64CountAsOne() {
    let clock = ManualClock()
    let gate = Self.gate(rate: RateConfiguration(count: 100, window: .seconds(10)), clock: clock)
    #expect(gate.admit("2001:db8:0:1::a") == nil)
    #expect(gate.admit("2001:db8:0:1::b") == nil)
    #expect(gate.admit("2001:db8:0:1::c") == "Too many connections from your address")
    #expect(gate.admit("2001:db8:0:2::a") == nil)
    gate.release("2001:db8:0:1::b")
    #expect(gate.openConnections(from: "2001:db8:0:1::ffff") == 1)
  }

  @Test func limitCountsOpenConnectionsPerAddress() {
    let clock = ManualClock()
    let gate = Self.gate(rate: RateConfiguration(count: 100, window: .seconds(10)), clock: clock)
    #expect(gate.admit("192.0.2.1") == nil)
    #expect(gate.admit("192.0.2.1") == nil)
    #expect(gate.admit("192.0.2.1") == "Too many connections from your address")
    #expect(gate.admit("192.0.2.2") == nil)
    gate.release("192.0.2.1")
    #expect(gate.openConnections(from: "192.0.2.1") == 1)
    #expect(gate.admit("192.0.2.1") == nil)
  }

  @Test func throttleCountsNewConnectionsPerWindow() {
    let clock = ManualClock()
    let gate = Self.gate(limit: 100, clock: clock)
    for _ in 0..<3 { #expect(gate.admit("2001:db8::1") == nil) }
    clock.advance(by: .milliseconds(2500))
    #expect(gate.admit("2001:db8::1") == "Connecting too fast; try again in 8 seconds")
    clock.advance(by: .milliseconds(7500))
    #expect(gate.admit("2001:db8::1") == nil)
  }

  @Test func exemptAddressesAreCountedButNeverRefused() {
    let clock = ManualClock()
    let gate = Self.gate(limit: 1, exempt: ["2001:0db8:0::0001", "::ffff:192.0.2.9"], clock: clock)
    for _ in 0..<10 {
      #expect(gate.admit("2001:db8::1") == nil)
      #expect(gate.admit("192.0.2.9") == nil)
    }
    #expect(gate.openConnections(from: "2001:db8::1") == 10)
    var strict = ConnectionsConfiguration()
    strict.perIPLimit = 1
    gate.reconfigure(strict)
    #expect(gate.admit("192.0.2.9") == "Too many connections from your address")
  }
}
