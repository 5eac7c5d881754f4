import Foundation
import LyceumAccounts
import LyceumProtocol
import LyceumServer
import Testing

/// API tokens as SCRAM-SHA-256 secrets, for bot libraries that prefer SCRAM (ircrobots): over
/// real TLS, against the real SQLite file `lyceumd token create` writes.
@Suite struct AccountsE2ETokenSCRAMTests {
  /// Logs `account` in with SCRAM-SHA-256 and `secret` on a new connection; returns whether the
  /// server said 903 (after checking its server-final) or 904. The connection closes with the
  /// client.
  static func scramLogin(_ server: TestServer, account: String, secret: String) throws -> Bool {
    let client = try server.connect(name: "scram-\(account)")
    try client.requestCapabilities(["sasl"])
    try client.sendNickAndUser("\(account)bot")
    try client.send("AUTHENTICATE SCRAM-SHA-256")
    try client.expect("AUTHENTICATE") { $0.params == ["+"] }
    var scram = SCRAMClient(username: account, password: secret)
    try client.sendSASLResponse(scram.clientFirst())
    try client.sendSASLResponse(try scram.clientFinal(serverFirst: client.readSASLChallenge()))
    let answer = try client.readUntil("server-final or 904") {
      $0.command == "AUTHENTICATE" || $0.command == "904"
    }
    guard answer.last?.command == "AUTHENTICATE" else { return false }
    let serverFinal = try #require(Base64.decode(answer.last?.params.first ?? ""))
    #expect(scram.verify(serverFinal: serverFinal), "the server-final does not verify")
    try client.send("AUTHENTICATE +")
    let outcome = try client.readSASLOutcome()
    #expect(outcome.loggedInAccounts == (outcome.last?.command == "903" ? [account] : []))
    return outcome.last?.command == "903"
  }

  @Test func aTokenLogsInWithSCRAMAndSurvivesAPasswordChange() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      try AccountSeed.account(directory, "grace", AccountSettings(password: "old-password-1"))
      token = try AccountAdministration.open(dataDirectory: directory)
        .createToken(account: "grace", tokenName: "notebook")
    })
    defer { server.stop() }
    #expect(try Self.scramLogin(server, account: "grace", secret: token))
    #expect(try Self.scramLogin(server, account: "grace", secret: "old-password-1"))
    #expect(try !Self.scramLogin(server, account: "grace", secret: token + "0"))

    // `lyceumd account set grace --password …`: the old password stops, the token goes on.
    let administration = try AccountAdministration.open(dataDirectory: server.dataDirectory)
    _ = try administration.updateAccount(
      name: "grace", settings: AccountSettings(password: "new-password-2"))
    #expect(try Self.scramLogin(server, account: "grace", secret: "new-password-2"))
    #expect(try !Self.scramLogin(server, account: "grace", secret: "old-password-1"))
    #expect(try Self.scramLogin(server, account: "grace", secret: token))

    try administration.revokeToken(account: "grace", tokenName: "notebook")
    #expect(try !Self.scramLogin(server, account: "grace", secret: token))
  }

  @Test func aBotWithoutAPasswordLogsInWithItsToken() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      token = try AccountSeed.bot(directory, "herald", tokenName: "ci")
    })
    defer { server.stop() }
    #expect(try Self.scramLogin(server, account: "herald", secret: token))
    #expect(try !Self.scramLogin(server, account: "herald", secret: "guess"))
  }
}
