import Foundation
import LyceumAccounts
import LyceumProtocol
import LyceumServer
import Testing

/// Bots with API tokens (the README's shell one-liner, revocation) and what must never be
/// written in clear.
@Suite struct AccountsE2ETokenTests {
  static let opensslAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

  @Test(.enabled(if: opensslAvailable))
  func botOneLinerFromTheReadme() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      token = try AccountSeed.bot(directory, "bot", tokenName: "ci")
    })
    defer { server.stop() }
    let listener = try server.registered("listener", caps: ["message-tags"])
    try listener.join("#announcements")

    let command =
      "printf 'PASS bot:\(token)\\r\\nNICK bot\\r\\nUSER bot 0 * :bot\\r\\n"
      + "PRIVMSG #announcements :Call for papers is open\\r\\nQUIT\\r\\n'"
      + " | openssl s_client -quiet -connect 127.0.0.1:\(server.tlsPort)"
    let shell = try ChildProcess("/bin/sh", ["-c", command])
    defer { shell.kill() }
    shell.closeInput()

    let message = try listener.expect("PRIVMSG", timeout: .seconds(15))
    #expect(message.sourceNick == "bot")
    #expect(message.params == ["#announcements", "Call for papers is open"])
    #expect(message.tag("bot") != nil, "no bot tag on \(message)")
    let status = shell.waitForExit(timeout: .seconds(15))
    #expect(status == 0, "the one-liner did not finish: \(String(describing: status))")
    #expect(shell.standardOutput.contains(" 001 bot "), "stdout:\n\(shell.standardOutput)")
    #expect(!shell.standardOutput.contains(" 464 "), "stdout:\n\(shell.standardOutput)")
  }

  @Test func revokedTokenStopsWorkingWhileTheServerRuns() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      token = try AccountSeed.bot(directory, "bot", tokenName: "ci")
    })
    defer { server.stop() }

    let before = try server.connect(name: "bot-before")
    try before.send("PASS bot:\(token)")
    try before.sendNickAndUser("bot")
    let welcome = try before.readUntil("001") { $0.command == "001" || $0.command == "464" }
    #expect(welcome.last?.command == "001")
    #expect(welcome.loggedInAccounts == ["bot"])
    try before.send("QUIT")
    try before.expectClosed()

    // `lyceumd token revoke bot ci`, from another connection to the same database file.
    try AccountAdministration.open(dataDirectory: server.dataDirectory)
      .revokeToken(account: "bot", tokenName: "ci")

    let after = try server.connect(name: "bot-after")
    try after.sendPassNickAndUser("bot:\(token)", nick: "bot")
    let refused = try after.readUntil("464") { $0.command == "464" || $0.command == "001" }
    #expect(refused.last?.command == "464", "the revoked token still works")
    #expect(refused.loggedInAccounts.isEmpty)
    let rest = try after.expectClosed()
    #expect(rest.contains { $0.command == "ERROR" }, "no ERROR before closing: \(rest)")
  }

  /// `lyceumd token revoke` runs in another process; the server's reload (SIGHUP) reads the
  /// tokens back and ends the session that logged in with the revoked one.
  @Test func aReloadEndsTheSessionOfARevokedToken() throws {
    var token = ""
    let server = try TestServer(prepare: { directory in
      token = try AccountSeed.bot(directory, "bot", tokenName: "ci")
    })
    defer { server.stop() }
    let bot = try server.connect(name: "bot")
    try bot.sendPassNickAndUser("bot:\(token)", nick: "bot")
    let welcome = try bot.readUntil("001") { $0.command == "001" || $0.command == "464" }
    #expect(welcome.last?.command == "001")

    try AccountAdministration.open(dataDirectory: server.dataDirectory)
      .revokeToken(account: "bot", tokenName: "ci")
    server.server.reload()
    let rest = try bot.expectClosed()
    #expect(
      rest.contains { $0.command == "ERROR" && $0.params.last?.contains("Token revoked") == true },
      "no ERROR before closing: \(rest)")
  }

  /// Registration, SASL PLAIN (right and wrong), SCRAM and a token login in one server at trace
  /// level; then neither the database files nor the log hold any of the secrets.
  @Test func noSecretIsStoredOrLoggedInClear() throws {
    let password = "Sph1nx-of-black-quartz"
    let wrongPassword = "Sph1nx-of-white-quartz"
    var token = ""
    let server = try TestServer(
      logLevel: .trace,
      prepare: { directory in
        token = try AccountSeed.bot(directory, "bot", tokenName: "ci")
      })
    defer { server.stop() }

    let registrant = try server.connect(name: "noether")
    try registrant.requestCapabilities(["draft/account-registration"])
    try registrant.sendNickAndUser("noether")
    try registrant.send("REGISTER * * \(password)")
    try registrant.send("CAP END")
    let registered = try registrant.readUntil("001") { $0.command == "001" }
    #expect(registered.loggedInAccounts == ["noether"])

    let plain = try server.connect(name: "plain")
    try plain.registerWithPlain(nick: "emmy", account: "noether", password: password)
    let wrong = try server.connect(name: "wrong")
    try wrong.requestCapabilities(["sasl"])
    try wrong.sendNickAndUser("wrong")
    #expect(
      try wrong.authenticatePlain(account: "noether", secret: wrongPassword).last?.command
        == "904")

    let scramClient = try server.connect(name: "scram")
    try scramClient.requestCapabilities(["sasl"])
    try scramClient.sendNickAndUser("scram")
    try scramClient.send("AUTHENTICATE SCRAM-SHA-256")
    try scramClient.expect("AUTHENTICATE") { $0.params == ["+"] }
    var scram = SCRAMClient(username: "noether", password: password)
    try scramClient.sendSASLResponse(scram.clientFirst())
    try scramClient.sendSASLResponse(
      try scram.clientFinal(serverFirst: scramClient.readSASLChallenge()))
    #expect(scram.verify(serverFinal: try scramClient.readSASLChallenge()))
    try scramClient.send("AUTHENTICATE +")
    #expect(try scramClient.readSASLOutcome().last?.command == "903")

    let bot = try server.connect(name: "bot")
    try bot.send("PASS bot:\(token)")
    try bot.sendNickAndUser("bot")
    try bot.expect("001")
    try bot.sync()

    let database = try databaseBytes(in: server.dataDirectory)
    #expect(database.range(of: Data("noether".utf8)) != nil, "the account is not in the files")
    let logText = server.logs.all.joined(separator: "\n")
    #expect(logText.contains("listening"), "nothing was captured from the log")
    let plainPayload = Base64.encode(Array("\0noether\0\(password)".utf8))
    let secrets = [
      ("the password", password), ("the wrong password", wrongPassword), ("the token", token),
      ("the PLAIN payload", plainPayload),
    ]
    for (what, secret) in secrets {
      #expect(database.range(of: Data(secret.utf8)) == nil, "\(what) is in the database files")
      #expect(!logText.contains(secret), "\(what) is in the log")
    }
  }

  /// `lyceum.sqlite` and, if present, its `-wal` and `-shm` files, concatenated.
  private func databaseBytes(in directory: String) throws -> Data {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/lyceum.sqlite"))
    for suffix in ["-wal", "-shm"] {
      let path = "\(directory)/lyceum.sqlite\(suffix)"
      if FileManager.default.fileExists(atPath: path) {
        bytes += try Data(contentsOf: URL(fileURLWithPath: path))
      }
    }
    return bytes
  }
}
