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
