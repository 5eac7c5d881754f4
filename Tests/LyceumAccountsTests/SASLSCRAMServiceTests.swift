import LyceumCore
import LyceumProtocol
import Testing

@testable import LyceumAccounts

/// SCRAM-SHA-256 through `AccountService`, with accounts made by `PasswordHasher`.
@Suite struct SASLSCRAMServiceTests {
  static let mechanism = "SCRAM-SHA-256"

  /// Runs the client against the service up to the server-final challenge.
  func exchange(
    _ f: Fixture, user: String, password: String, connection: UInt64 = 1
  ) throws -> (client: SCRAMClient, final: AccountResponse?) {
    var client = SCRAMClient(username: user, password: password)
    let first = f.step(Self.mechanism, client.clientFirst(), connection: connection)
    guard case .saslChallenge(let serverFirst) = first else {
      Issue.record("expected a challenge, got \(String(describing: first))")
      return (client, first)
    }
    let clientFinal = try client.clientFinal(serverFirst: serverFirst)
    return (client, f.step(Self.mechanism, clientFinal, connection: connection, first: false))
  }

  @Test func fullExchangeLogsInAfterTheEmptyAcknowledgement() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    let (client, final) = try exchange(f, user: "Kim", password: "tulip-garden")
    guard case .saslChallenge(let serverFinal) = final else {
      Issue.record("expected server-final, got \(String(describing: final))")
      return
    }
    #expect(client.verify(serverFinal: serverFinal))
    #expect(f.step(Self.mechanism, [], first: false) == loggedIn(kim))
    // The exchange is gone once it completed.
    #expect(f.step(Self.mechanism, [], first: false) == .malformed)
  }

  @Test func wrongPasswordFailsAtTheFinalStep() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    let (_, final) = try exchange(f, user: "kim", password: "tulip-gardens")
    #expect(final == .authenticationFailed)
  }

  @Test func unknownUserGetsANormalLookingStableChallenge() throws {
    let f = Fixture()
    let real = try f.addAccount("kim", password: "tulip-garden")
    func serverFirst(_ user: String, connection: UInt64) throws -> [Substring] {
      var client = SCRAMClient(username: user, password: "x", nonce: "fixednonce")
      let response = f.step(Self.mechanism, client.clientFirst(), connection: connection)
      guard case .saslChallenge(let bytes) = response else {
        Issue.record("expected a challenge for \(user), got \(String(describing: response))")
        return []
      }
      return String(decoding: bytes, as: UTF8.self).split(separator: ",")
    }
    let known = try serverFirst("kim", connection: 1)
    let unknown = try serverFirst("ghost", connection: 2)
    let again = try serverFirst("ghost", connection: 3)
    try #require(known.count == 3 && unknown.count == 3)
    #expect(unknown[0].hasPrefix("r=fixednonce") && unknown[0].count == known[0].count)
    #expect(Base64.decode(unknown[1].dropFirst(2))?.count == real.password?.scramSalt.count)
    #expect(unknown[2] == known[2])
    #expect(unknown[1] == again[1])  // same salt every time, as a real account would have
    #expect(unknown[0] != again[0])  // but a fresh nonce
    #expect(try serverFirst("ghost2", connection: 4)[1] != unknown[1])
    // And it fails like a wrong password.
    let (_, final) = try exchange(f, user: "ghost", password: "anything", connection: 5)
    #expect(final == .authenticationFailed)
  }

  @Test func abortDropsTheExchange() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    var client = SCRAMClient(username: "kim", password: "tulip-garden")
    guard case .saslChallenge(let serverFirst) = f.step(Self.mechanism, client.clientFirst())
    else {
      Issue.record("expected a challenge")
      return
    }
    #expect(f.service.handle(.saslAbort(connection: 1)) == nil)
    let final = try client.clientFinal(serverFirst: serverFirst)
    #expect(f.step(Self.mechanism, final, first: false) == .malformed)
  }

  @Test func channelBindingAndMalformedFirstMessagesAreRefused() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    #expect(f.step(Self.mechanism, Array("p=tls-unique,,n=kim,r=abc".utf8)) == .malformed)
    #expect(f.step(Self.mechanism, Array("garbage".utf8)) == .malformed)
    #expect(f.step(Self.mechanism, Array("n,a=lee,n=kim,r=abc".utf8)) == .authenticationFailed)
    if case .saslChallenge = f.step(Self.mechanism, Array("y,,n=kim,r=abc".utf8)) {
    } else {
      Issue.record("y,, must be accepted")
    }
  }
}
