import Foundation
import LyceumAccounts
import LyceumProtocol
import LyceumServer
import Testing

/// Accounts over real TLS: REGISTER, SASL PLAIN, SCRAM-SHA-256 and EXTERNAL, throttling of
/// failed logins, and nick reservation.
@Suite struct AccountsE2ETests {
  @Test func registerBeforeConnectionRegistrationThenLogInWithPlain() throws {
    let password = "lab-notebook-2718"
    let server = try TestServer()
    defer { server.stop() }

    let newcomer = try server.connect(name: "ada")
    let negotiation = try newcomer.requestCapabilities(["draft/account-registration", "sasl"])
    let advertised = negotiation.filter { $0.command == "CAP" && $0.params[1] == "LS" }
      .map(\.trailing).joined(separator: " ").split(separator: " ")
    #expect(advertised.contains { $0.hasPrefix("draft/account-registration") })
    #expect(advertised.contains { $0.hasPrefix("sasl") })
    try newcomer.send("NICK ada")
    try newcomer.send("REGISTER * * \(password)")
    let registration = try newcomer.readUntil("900 after REGISTER") {
      $0.command == "900" || $0.command == "FAIL"
    }
    let success = registration.with("REGISTER").first
    #expect(success?.params.prefix(2) == ["SUCCESS", "ada"], "\(registration)")
    #expect(registration.loggedInAccounts == ["ada"])
    #expect(registration.with("001").isEmpty, "welcome before CAP END")
    try newcomer.send("USER ada 0 * :Ada")
    try newcomer.send("CAP END")
    let welcome = try newcomer.expect("001")
    #expect(welcome.params.first == "ada")
    try newcomer.send("QUIT :registered")
    try newcomer.expectClosed()

    // The account exists now: a new connection logs in with SASL PLAIN.
    let returning = try server.connect(name: "ada-again")
    try returning.requestCapabilities(["sasl"])
    try returning.sendNickAndUser("ada")
    let login = try returning.authenticatePlain(account: "ada", secret: password)
    #expect(login.loggedInAccounts == ["ada"])
    #expect(login.last?.command == "903")
    try returning.send("CAP END")
    #expect(try returning.expect("001").params.first == "ada")

    // A wrong password: 904 and no 900.
    let impostor = try server.connect(name: "impostor")
    try impostor.requestCapabilities(["sasl"])
    try impostor.sendNickAndUser("impostor")
    let refused = try impostor.authenticatePlain(account: "ada", secret: password + "-wrong")
    #expect(refused.last?.command == "904")
    #expect(refused.loggedInAccounts.isEmpty)
  }

  @Test func scramSHA256OverTheWire() throws {
    let password = "entropy-is-not-a-bug"
    let server = try TestServer(prepare: { directory in
      try AccountSeed.account(directory, "grace", AccountSettings(password: password))
    })
    defer { server.stop() }

    let client = try server.connect(name: "grace")
    try client.requestCapabilities(["sasl"])
    try client.sendNickAndUser("grace")
    try client.send("AUTHENTICATE SCRAM-SHA-256")
    try client.expect("AUTHENTICATE") { $0.params == ["+"] }
    var scram = SCRAMClient(username: "grace", password: password)
    try client.sendSASLResponse(scram.clientFirst())
    let serverFirst = try client.readSASLChallenge()
    let serverFirstText = String(decoding: serverFirst, as: UTF8.self)
    #expect(serverFirstText.hasPrefix("r="), "server-first: \(serverFirstText)")
    try client.sendSASLResponse(try scram.clientFinal(serverFirst: serverFirst))
    let serverFinal = try client.readSASLChallenge()
    #expect(
      scram.verify(serverFinal: serverFinal),
      "server-final does not verify: \(String(decoding: serverFinal, as: UTF8.self))")
    try client.send("AUTHENTICATE +")
    let outcome = try client.readSASLOutcome()
    #expect(outcome.loggedInAccounts == ["grace"])
    #expect(outcome.last?.command == "903")
    try client.send("CAP END")
    #expect(try client.expect("001").params.first == "grace")

    // The wrong password: the server refuses the client-final with 904 and sends no
    // server-final.
    let impostor = try server.connect(name: "impostor")
    try impostor.requestCapabilities(["sasl"])
    try impostor.sendNickAndUser("impostor")
    try impostor.send("AUTHENTICATE SCRAM-SHA-256")
    try impostor.expect("AUTHENTICATE") { $0.params == ["+"] }
    var wrong = SCRAMClient(username: "grace", password: password + "!")
    try impostor.sendSASLResponse(wrong.clientFirst())
    try impostor.sendSASLResponse(try wrong.clientFinal(serverFirst: impostor.readSASLChallenge()))
    let refused = try impostor.readUntil("904 or a server-final") {
      $0.command == "AUTHENTICATE" || $0.command == "904"
    }
    #expect(refused.last?.command == "904", "\(refused)")
    #expect(refused.loggedInAccounts.isEmpty)
  }

  @Test func externalWithARegisteredClientCertificate() throws {
    let certificates = ClientCertificates()
    defer { certificates.remove() }
    let known = try certificates.make("turing")
    let unknown = try certificates.make("stranger")
    let server = try TestServer(prepare: { directory in
      // What `lyceumd account create turing --add-cert <fingerprint>` does.
      try AccountSeed.account(
        directory, "turing", AccountSettings(addCertificates: [known.fingerprint]))
    })
    defer { server.stop() }

    let client = try server.connect(
      name: "turing", certificatePath: known.certificate, keyPath: known.key)
    try client.requestCapabilities(["sasl"])
    try client.sendNickAndUser("turing")
    let outcome = try client.authenticate("EXTERNAL", [])
    #expect(outcome.loggedInAccounts == ["turing"])
    #expect(outcome.last?.command == "903")
    try client.send("CAP END")
    #expect(try client.expect("001").params.first == "turing")

    let stranger = try server.connect(
      name: "stranger", certificatePath: unknown.certificate, keyPath: unknown.key)
    try stranger.requestCapabilities(["sasl"])
    try stranger.sendNickAndUser("stranger")
    let refused = try stranger.authenticate("EXTERNAL", [])
    #expect(refused.last?.command == "904")
    #expect(refused.loggedInAccounts.isEmpty)

    let bare = try server.connect(name: "bare")
    try bare.requestCapabilities(["sasl"])
    try bare.sendNickAndUser("bare")
    #expect(try bare.authenticate("EXTERNAL", []).last?.command == "904")
  }

  @Test func failedLoginsAreThrottled() throws {
    let password = "patience-is-a-virtue"
    let server = try TestServer(
      prepare: { directory in
        try AccountSeed.account(directory, "hopper", AccountSettings(password: password))
      },
      configure: { configuration in
        configuration.accounts.failedLoginLimit = 3
        configuration.accounts.failedLoginWindow = .seconds(600)
      })
    defer { server.stop() }

    let client = try server.connect(name: "hopper")
    try client.requestCapabilities(["sasl"])
    try client.sendNickAndUser("hopper")
    for attempt in 1...3 {
      let outcome = try client.authenticatePlain(account: "hopper", secret: "guess-\(attempt)")
      #expect(outcome.last?.command == "904", "attempt \(attempt)")
      #expect(!outcome.last!.trailing.contains("try again"), "throttled early: \(outcome)")
    }
    let throttled = try client.authenticatePlain(account: "hopper", secret: password)
    #expect(throttled.loggedInAccounts.isEmpty)
    let refusal = try #require(throttled.last)
    #expect(refusal.command == "904")
    #expect(refusal.trailing.contains("try again"), "no retry hint: \(refusal.trailing)")

    // PASS account:password is throttled alike, and says so before closing.
    let viaPass = try server.connect(name: "hopper-pass")
    try viaPass.sendPassNickAndUser("hopper:\(password)", nick: "hopper")
    let passRefusal = try viaPass.expect("464")
    #expect(passRefusal.trailing.contains("try again"), "\(passRefusal.trailing)")
    let rest = try viaPass.expectClosed()
    #expect(rest.with("001").isEmpty)
  }

  @Test func accountNicksAreReservedForTheirAccount() throws {
    let password = "wonderland-rabbit"
    let server = try TestServer(prepare: { directory in
      try AccountSeed.account(directory, "alice", AccountSettings(password: password))
    })
    defer { server.stop() }

    let anonymous = try server.connect(name: "anonymous")
    try anonymous.requestCapabilities(["sasl"])
    try anonymous.sendNickAndUser("alice")
    try anonymous.send("CAP END")
    let reserved = try anonymous.readUntil("433") { $0.command == "433" || $0.command == "001" }
    #expect(reserved.last?.command == "433", "registered as a reserved nick: \(reserved)")
    #expect(reserved.last?.trailing.contains("reserved") == true)
    // It has to pick another nick to finish registering.
    try anonymous.send("NICK visitor")
    #expect(try anonymous.expect("001").params.first == "visitor")
    try anonymous.sync()
    // Still reserved after registration.
    try anonymous.send("NICK alice")
    let again = try anonymous.readUntil("433") { $0.command == "433" || $0.command == "NICK" }
    #expect(again.last?.command == "433", "\(again)")
    try anonymous.sync()

    // Once logged in to the account, the nick is its own.
    let login = try anonymous.authenticatePlain(account: "alice", secret: password)
    #expect(login.last?.command == "903")
    try anonymous.send("NICK alice")
    let renamed = try anonymous.readUntil("NICK") { $0.command == "NICK" || $0.command == "433" }
    #expect(renamed.last?.command == "NICK", "\(renamed)")
    #expect(renamed.last?.sourceNick == "visitor")
    #expect(renamed.last?.params == ["alice"])

    // A new connection that logs in before registering gets the nick right away (here it
    // joins alice's client, which holds it).
    let fresh = try server.connect(name: "alice-fresh")
    let welcome = try fresh.registerWithPlain(nick: "alice", account: "alice", password: password)
    #expect(welcome.with("001").first?.params.first == "alice")
  }
}
