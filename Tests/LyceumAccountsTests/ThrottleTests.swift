import LyceumCore
import Testing

@testable import LyceumAccounts

@Suite struct ThrottleTests {
  @Test func threeFailuresThrottleEvenTheRightPasswordUntilTheWindowPasses() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    for _ in 0..<3 { #expect(f.plain("kim", "wrong-guess") == .authenticationFailed) }
    #expect(f.plain("kim", "tulip-garden") == .throttled(retryAfterSeconds: 60))
    f.clock.advance(by: .seconds(59))
    #expect(f.plain("kim", "tulip-garden") == .throttled(retryAfterSeconds: 1))
    f.clock.advance(by: .seconds(1))
    #expect(f.plain("kim", "tulip-garden") == loggedIn(kim))
  }

  @Test func perAccountAcrossAddresses() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    for octet in 1...3 {
      #expect(f.plain("kim", "wrong-guess", ip: "198.51.100.\(octet)") == .authenticationFailed)
    }
    #expect(f.plain("kim", "tulip-garden", ip: "203.0.113.7") == .throttled(retryAfterSeconds: 60))
    #expect(f.pass("kim", "tulip-garden", ip: "203.0.113.8") == .throttled(retryAfterSeconds: 60))
    f.clock.advance(by: .seconds(60))
    #expect(f.plain("kim", "tulip-garden", ip: "203.0.113.7") == loggedIn(kim))
  }

  /// The bots' listener throttles wrong tokens by account only: every listener line comes from
  /// loopback, and a broken script must not lock out the machine's other logins.
  @Test func wrongListenerTokensThrottleTheirAccountNotTheAddress() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    _ = try f.addAccount("bot", password: "unused-password")
    for _ in 0..<3 {
      #expect(
        f.service.tokenLogin(ip: "127.0.0.1", account: "bot", secret: "lyc_wrong")
          == .authenticationFailed)
    }
    #expect(
      f.service.tokenLogin(ip: "127.0.0.1", account: "bot", secret: "lyc_wrong")
        == .throttled(retryAfterSeconds: 60))
    #expect(f.plain("kim", "tulip-garden", ip: "127.0.0.1") == loggedIn(kim))
  }

  @Test func perAddressAcrossAccounts() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    let ip = "198.51.100.1"
    for name in ["a1", "b2", "c3"] {
      #expect(f.plain(name, "wrong-guess", ip: ip) == .authenticationFailed)
    }
    #expect(f.plain("kim", "tulip-garden", ip: ip) == .throttled(retryAfterSeconds: 60))
    // The same account from elsewhere is not affected.
    #expect(f.plain("kim", "tulip-garden", ip: "198.51.100.2") == loggedIn(kim))
    f.clock.advance(by: .seconds(61))
    #expect(f.plain("kim", "tulip-garden", ip: ip) == loggedIn(kim))
  }

  @Test func successesDoNotCountAndOldFailuresSlideOut() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    for _ in 0..<5 { #expect(f.plain("kim", "tulip-garden") == loggedIn(kim)) }
    #expect(f.plain("kim", "wrong-guess") == .authenticationFailed)
    f.clock.advance(by: .seconds(40))
    #expect(f.plain("kim", "wrong-guess") == .authenticationFailed)
    #expect(f.plain("kim", "wrong-guess") == .authenticationFailed)
    #expect(f.plain("kim", "tulip-garden") == .throttled(retryAfterSeconds: 20))
    f.clock.advance(by: .seconds(20))
    #expect(f.plain("kim", "tulip-garden") == loggedIn(kim))
  }

  @Test func scramFailuresCountAndScramIsThrottledToo() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    for connection in UInt64(1)...3 {
      var client = SCRAMClient(username: "kim", password: "wrong-guess")
      guard
        case .saslChallenge(let first) = f.step(
          "SCRAM-SHA-256", client.clientFirst(), connection: connection)
      else {
        Issue.record("expected a challenge")
        return
      }
      let final = try client.clientFinal(serverFirst: first)
      #expect(
        f.step("SCRAM-SHA-256", final, connection: connection, first: false)
          == .authenticationFailed)
    }
    var client = SCRAMClient(username: "kim", password: "tulip-garden")
    #expect(
      f.step("SCRAM-SHA-256", client.clientFirst(), connection: 4)
        == .throttled(retryAfterSeconds: 60))
  }
}
