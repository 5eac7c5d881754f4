import LyceumServer
import Testing

/// Each `OPER` attempt is in the server's log — who, from where, how it went — and the
/// password never is.
@Suite struct OperAuditE2ETests {
  @Test func operAttemptsAreLoggedWithoutThePassword() throws {
    let server = try TestServer(
      logLevel: .notice, prepare: { _ in },
      configure: { $0.operators = [OperatorConfiguration(name: "op", password: "Corr3ct-Horse")] })
    defer { server.stop() }
    let client = try server.registered("hopeful")
    try client.send("OPER op Wr0ng-Horse")
    try client.expect("464")
    try client.send("OPER op Corr3ct-Horse")
    try client.expect("381")
    // The hub logs an outbox's events before it sends the outbox's bytes.
    let lines = server.logs.all
    #expect(lines.contains { $0.contains("OPER op by hopeful!") && $0.contains("failed") })
    #expect(lines.contains { $0.contains("OPER op by hopeful!") && $0.contains("succeeded") })
    #expect(!lines.contains { $0.contains("Horse") }, "a password reached the log")
  }
}

/// Connections, logins (both ways) and account changes over IRC are in the log; secrets never.
@Suite struct LoginAuditE2ETests {
  @Test func connectsLoginsAndRegistrationsAreLoggedWithoutSecrets() throws {
    let server = try TestServer(logLevel: .info, prepare: { _ in })
    defer { server.stop() }
    let ada = try server.registered("ada")
    try ada.registerAccount(password: "Sekr1t-Pass-A")
    let guesser = try server.connect(name: "guesser")
    try guesser.send("PASS ada:Wr0ng-Pass-B")
    try guesser.send("NICK guesser")
    try guesser.send("USER g 0 * :g")
    _ = try? guesser.expectClosed(timeout: .seconds(5))
    let good = try server.connect(name: "good")
    try good.send("PASS ada:Sekr1t-Pass-A")
    try good.register(nick: "ada2")
    try good.send("TOKEN CREATE ada laptop")
    try good.expect("NOTE")
    let lines = server.logs.all
    #expect(lines.contains { $0.contains("connection") && $0.contains("from 127.0.0.1 (TLS)") })
    #expect(
      lines.contains { $0.contains("REGISTER login to account ada") && $0.contains("succeeded") })
    #expect(lines.contains { $0.contains("PASS login") && $0.contains("failed") })
    #expect(
      lines.contains { $0.contains("PASS login to account ada by") && $0.contains("succeeded") })
    #expect(lines.contains { $0.contains("TOKEN") && $0.contains("done") })
    #expect(
      !lines.contains { $0.contains("Pass-") || $0.contains("lyc_") }, "a secret reached the log")
  }
}
