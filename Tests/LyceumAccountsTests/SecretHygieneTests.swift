import LyceumCore
import LyceumProtocol
import Testing

@testable import LyceumAccounts

/// Passwords and tokens must never reach the store (or anything printable) in clear.
@Suite struct SecretHygieneTests {
  @Test func storeHoldsNeitherPasswordsNorTokenSecrets() throws {
    let f = Fixture()
    let password = "Very-Secret-Passphrase-42"
    let response = f.service.handle(
      .register(connection: 1, ip: "192.0.2.1", account: "kim", email: "*", password: password))
    #expect(response == f.registered("kim"))
    let token = try f.addToken(account: "kim", name: "bot")
    #expect(
      f.plain("kim", token)
        == loggedIn(try #require(try f.store.account(foldedName: "kim")), token: token))
    #expect(f.plain("kim", password) != .authenticationFailed)

    let dump =
      String(describing: try f.store.allAccounts())
      + String(describing: try f.store.tokens(accountFoldedName: "kim"))
    for secret in [password, token, String(token.dropFirst(4))] {
      #expect(!dump.contains(secret))
      #expect(!dump.contains(Base64.encode(Array(secret.utf8))))
      #expect(!dump.contains(Hex.encode(Array(secret.utf8))))
    }
    #expect(dump.contains(APIToken.digest(token)))
  }

  @Test func responsesNeverEchoTheSecret() throws {
    let f = Fixture()
    try f.addAccount("kim", password: "tulip-garden")
    let secret = "guess-\(UInt64.random(in: 1...UInt64.max))"
    let responses = [
      f.plain("kim", secret), f.pass("kim", secret),
      f.service.handle(
        .register(
          connection: 1, ip: "192.0.2.2", account: "lee", email: "*", password: "x\(secret)\u{1}")),
    ]
    #expect(!String(describing: responses).contains(secret))
  }
}
