import LyceumCore
import Testing

@testable import LyceumAccounts

@Suite struct SASLPlainTests {
  @Test func rightPasswordLogsInWrongOneFails() throws {
    let f = Fixture()
    let kim = try f.addAccount("Kim", password: "tulip-garden")
    #expect(f.plain("kim", "tulip-garden") == loggedIn(kim))
    #expect(f.plain("KIM", "tulip-garden", authzid: "Kim") == loggedIn(kim))
    #expect(f.plain("kim", "tulip-gardeN") == .authenticationFailed)
  }

  @Test func unknownAccountIsIndistinguishableFromAWrongPassword() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    #expect(f.plain("nobody", "tulip-garden") == f.plain("kim", "wrong-password"))
  }

  @Test func foreignAuthzidAndMalformedMessagesAreRefused() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    try f.addAccount("lee", password: "other-pass")
    #expect(f.plain("kim", "tulip-garden", authzid: "lee") == .authenticationFailed)
    #expect(f.step("PLAIN", Array("kim\0tulip-garden".utf8)) == .malformed)
    #expect(f.step("PLAIN", Array("\0\0x".utf8)) == .malformed)
    #expect(f.step("PLAIN", [0, 0x6B, 0, 0xFF]) == .malformed)
    #expect(f.step("DIGEST-MD5", []) == .malformed)
  }

  @Test func apiTokenLogsInAndIsMarkedUsed() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    let token = try f.addToken(account: "kim", name: "bot")
    f.clock.advance(by: .seconds(5))
    #expect(f.plain("kim", token) == loggedIn(kim, token: token))
    let stored = try #require(try f.store.tokens(accountFoldedName: "kim").first)
    #expect(stored.lastUsedMilliseconds == f.clock.wallClockMilliseconds())
    // A token of another account does not open this one.
    try f.addAccount("lee", password: "other-pass")
    #expect(f.plain("lee", token) == .authenticationFailed)
  }

  @Test func revokedTokenNoLongerWorks() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    let token = try f.addToken(account: "kim", name: "bot")
    try f.store.revokeToken(accountFoldedName: "kim", name: "bot")
    #expect(f.plain("kim", token) == .authenticationFailed)
  }

  @Test func passLoginAcceptsPasswordOrToken() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", password: "tulip-garden")
    let token = try f.addToken(account: "kim", name: "ci")
    #expect(f.pass("kim", "tulip-garden") == loggedIn(kim))
    #expect(f.pass("Kim", token) == loggedIn(kim, token: token))
    #expect(f.pass("kim", "nope-nope") == .authenticationFailed)
    #expect(f.pass("ghost", "nope-nope") == .authenticationFailed)
  }
}

@Suite struct SASLExternalTests {
  static let fingerprint = String(repeating: "ab", count: 32)

  @Test func knownCertificateLogsIn() throws {
    let f = Fixture()
    let kim = try f.addAccount("kim", fingerprints: [Self.fingerprint])
    #expect(
      f.step("EXTERNAL", [], fingerprint: Self.fingerprint)
        == loggedIn(kim, fingerprint: Self.fingerprint))
    #expect(
      f.step("EXTERNAL", Array("KIM".utf8), fingerprint: Self.fingerprint)
        == loggedIn(kim, fingerprint: Self.fingerprint))
    #expect(
      f.step("EXTERNAL", [], fingerprint: Self.fingerprint.uppercased())
        == loggedIn(kim, fingerprint: Self.fingerprint))
  }

  @Test func unknownOrMissingCertificateOrForeignAuthzidFails() throws {
    let f = Fixture()
    try f.addAccount("kim", fingerprints: [Self.fingerprint])
    try f.addAccount("lee", password: "other-pass")
    let other = String(repeating: "cd", count: 32)
    #expect(f.step("EXTERNAL", [], fingerprint: other) == .authenticationFailed)
    #expect(f.step("EXTERNAL", [], ip: "192.0.2.9", fingerprint: nil) == .authenticationFailed)
    #expect(
      f.step("EXTERNAL", Array("lee".utf8), ip: "192.0.2.8", fingerprint: Self.fingerprint)
        == .authenticationFailed)
  }
}
