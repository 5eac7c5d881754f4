import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `store: postgresql://…` end to end (TLS, the in-process server, a schema of its own): an
/// account, a registered room with its topic, a read marker and a kept message are in
/// PostgreSQL, and a restarted server serves them: SASL login, the topic on join, `MARKREAD`,
/// `CHATHISTORY`. The crash test (`CrashDurabilityE2ETests`) runs on PostgreSQL as well.
@Suite(.enabled(if: PostgresServerSchema.url != nil, "needs LYCEUM_TEST_POSTGRES_URL"))
struct PostgresStoreE2ETests {
  @Test func accountsRoomsMarkersAndHistoryOutliveARestart() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let store = try schema.configuration()
    let configure: (inout ServerConfiguration) -> Void = { configuration in
      HistoryE2ETests.unthrottled(&configuration)
      configuration.store = store
    }
    let password = "a-long-test-password"
    let caps = historyCaps + ["echo-message", "draft/read-marker"]
    let server = try TestServer(configure)
    defer { server.stop() }
    let alice = try server.registered("alice", caps: caps)
    try alice.registerAccount(password: password)
    try alice.join("#pg")
    try alice.send("TOPIC #pg :kept in PostgreSQL")
    try alice.send("PRIVMSG #pg :hello from PostgreSQL")
    let echo = try alice.expect("PRIVMSG") { $0.trailing == "hello from PostgreSQL" }
    let msgid = try #require(echo.msgid)
    let time = try #require(echo.tagValue("time"))
    try alice.send("MARKREAD #pg timestamp=\(time)")
    try alice.expect("MARKREAD")

    let restarted = try server.restarted(configure: configure)
    defer { restarted.stop() }
    let back = try restarted.connect(name: "alice")
    try back.registerWithPlain(nick: "alice", account: "alice", password: password, caps: caps)
    let joined = try back.join("#pg")
    #expect(joined.with("332").first?.trailing == "kept in PostgreSQL", "\(joined)")
    try back.send("MARKREAD #pg")
    let marker = try back.expect("MARKREAD")
    #expect(marker.params.last == "timestamp=\(time)")
    let history = try back.chathistory("LATEST #pg * 10")
    #expect(history.fail == nil)
    let kept = history.messages.filter { $0.command == "PRIVMSG" }
    #expect(kept.map(\.msgid) == [msgid])
    #expect(kept.map(\.trailing) == ["hello from PostgreSQL"])
  }

  /// `lyceumd account …` and `lyceumd export` act on the configured store: an account made by
  /// the administration logs in to the server, and the export reads what the server kept. The
  /// data directory holds no database (the SQLite path would refuse).
  @Test func theAdministrationCommandsUseTheConfiguredStore() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let store = try schema.configuration()
    var configuration = ServerConfiguration()
    configuration.store = store
    configuration.dataDirectory = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
    let password = "a-long-test-password"
    let administration = try AccountAdministration.open(configuration)
    try administration.createAccount(name: "Grace", settings: AccountSettings(password: password))
    #expect(try administration.listAccounts().map(\.name) == ["Grace"])

    let server = try TestServer { $0.store = store }
    defer { server.stop() }
    let grace = try server.connect(name: "grace")
    try grace.registerWithPlain(
      nick: "grace", account: "Grace", password: password, caps: ["echo-message"])
    try grace.join("#export")
    try grace.send("PRIVMSG #export :for the records")
    try grace.expect("PRIVMSG") { $0.trailing == "for the records" }

    var text = ""
    let count = try HistoryExport.open(configuration).export(
      channel: "#export", format: .jsonl
    ) { text += $0 }
    #expect(count >= 2)  // the JOIN and the message
    #expect(text.contains("for the records"), "\(text)")
  }

  /// The password in `store:` never reaches the log, even at debug level.
  @Test func thePasswordIsNotLogged() throws {
    let schema = try PostgresServerSchema()
    defer { schema.remove() }
    let store = try schema.configuration()
    let server = try TestServer(
      logLevel: .debug, prepare: { _ in }, configure: { $0.store = store })
    defer { server.stop() }
    let alice = try server.registered("alice")
    try alice.sync()
    let secret = try #require(Self.password(in: schema.storeURL))
    let lines = server.logs.all
    #expect(lines.contains { $0.contains("history: kept in postgresql://") }, "\(lines)")
    #expect(!lines.contains { $0.contains(secret) })
  }

  /// The password between `://user:` and `@`.
  static func password(in url: String) -> String? {
    guard let scheme = url.range(of: "://"), let at = url.range(of: "@") else { return nil }
    let credentials = url[scheme.upperBound..<at.lowerBound]
    guard let colon = credentials.firstIndex(of: ":") else { return nil }
    return String(credentials[credentials.index(after: colon)...])
  }
}
