import Foundation
import LyceumProtocol
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Wire behaviour of the query commands (NAMES, LIST, WHO, WHOIS, AWAY, MOTD, LUSERS, ISON,
/// USERHOST, VERSION, TIME) per the Modern IRC documentation, and the MOTD reload of `lyceumd`
/// on SIGHUP. These need the real query command code (not the temporary stubs).
@Suite struct QueryCommandsE2ETests {
  @Test func welcomeBurstHasLusersAndMotd() throws {
    let server = try TestServer { $0.motd = ["Line one of the motd", "Line two"] }
    defer { server.stop() }
    let client = try server.connect(name: "newbie")
    try client.send("NICK newbie")
    try client.send("USER newbie 0 * :New")
    let burst = try client.readUntil("end of MOTD") { ["376", "422"].contains($0.command) }
    let commands = burst.map(\.command)
    #expect(commands.contains("251"), "no 251 RPL_LUSERCLIENT in the burst")
    #expect(commands.contains("375"))
    #expect(
      burst.with("372").map(\.trailing).joined(separator: "\n").contains("Line one of the motd"))
    #expect(commands.last == "376")
  }

  @Test func namesListWhoWhois() throws {
    let server = try TestServer()
    defer { server.stop() }
    let alice = try server.registered("alice")
    let bob = try server.registered("bob")
    try alice.join("#q")
    try bob.join("#q")

    try bob.send("NAMES #q")
    let names = try bob.readUntil("366") { $0.command == "366" }
    let nameList = names.with("353").flatMap { $0.trailing.split(separator: " ").map(String.init) }
    #expect(Set(nameList) == ["@alice", "bob"])
    #expect(names.last?.params[1] == "#q")

    try bob.send("LIST")
    let list = try bob.readUntil("323") { $0.command == "323" }
    let entry = try #require(list.with("322").first { $0.params[1] == "#q" })
    #expect(entry.params[2] == "2")

    try bob.send("WHO #q")
    let who = try bob.readUntil("315") { $0.command == "315" }
    #expect(Set(who.with("352").map { $0.params[5] }) == ["alice", "bob"])

    try bob.send("WHOIS alice")
    let whois = try bob.readUntil("318") { $0.command == "318" }
    let user = try #require(whois.with("311").first)
    #expect(user.params[1] == "alice")
    #expect(user.trailing == "Test user alice")
  }

  @Test func awayIsonUserhostVersionTime() throws {
    let server = try TestServer()
    defer { server.stop() }
    let alice = try server.registered("alice")
    let bob = try server.registered("bob")

    try alice.send("AWAY :in a meeting")
    try alice.expect("306")
    try bob.send("PRIVMSG alice :ping?")
    let away = try bob.expect("301")
    #expect(Array(away.params.dropFirst()) == ["alice", "in a meeting"])
    try alice.send("AWAY")
    try alice.expect("305")

    try bob.send("ISON alice nobody bob")
    let ison = try bob.expect("303")
    #expect(Set(ison.trailing.split(separator: " ").map(String.init)) == ["alice", "bob"])

    try bob.send("USERHOST alice")
    let userhost = try bob.expect("302")
    #expect(userhost.trailing.hasPrefix("alice="))

    try bob.send("VERSION")
    try bob.expect("351")
    try bob.send("TIME")
    let time = try bob.expect("391")
    #expect(time.params[1] == "test.lyceum.local")
  }

  @Test func lyceumdReloadsMotdOnSIGHUP() throws {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    let dataDirectory = TestServer.makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    let configPath = dataDirectory + "/lyceum.yaml"
    try "motd: [\"The first motd\"]\n".write(toFile: configPath, atomically: true, encoding: .utf8)
    let daemon = try ChildProcess(
      binary,
      [
        "--config", configPath, "--data-dir", dataDirectory, "--listen", "127.0.0.1:0",
        "--tls-listen", "127.0.0.1:0",
      ])
    defer { daemon.kill() }
    let (tlsPort, _) = try Lyceumd.waitForPorts(daemon)

    let before = try TestClient(port: tlsPort, tls: true, name: "before")
    try before.send("NICK before")
    try before.send("USER before 0 * :Before")
    let firstBurst = try before.readUntil("end of MOTD") { ["376", "422"].contains($0.command) }
    #expect(firstBurst.with("372").contains { $0.trailing.contains("The first motd") })

    try "motd: [\"The second motd\"]\n".write(toFile: configPath, atomically: true, encoding: .utf8)
    daemon.signal(SIGHUP)
    try daemon.waitFor("configuration reloaded") { _, stderr in
      stderr.contains("configuration reloaded")
    }
    let after = try TestClient(port: tlsPort, tls: true, name: "after")
    try after.send("NICK after")
    try after.send("USER after 0 * :After")
    let secondBurst = try after.readUntil("end of MOTD") { ["376", "422"].contains($0.command) }
    let motd = secondBurst.with("372").map(\.trailing)
    #expect(motd.contains { $0.contains("The second motd") }, "MOTD after SIGHUP: \(motd)")
    #expect(!motd.contains { $0.contains("The first motd") })
    try before.sync()  // the first client stayed connected through the reload

    daemon.signal(SIGTERM)
    #expect(daemon.waitForExit() == 0)
  }
}
