import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Rooms from the configuration over real TLS and a real SQLite file: there at start, owned by
/// the server, listed with their kind and description, and kept as changed after a restart.
@Suite struct ConfiguredRoomsE2ETests {
  static let rooms = [
    RoomConfiguration(
      name: "#lobby", topic: "Welcome week", description: "Start here", kind: "social"),
    RoomConfiguration(
      name: "#optics", description: "Joint optics group", kind: "research",
      openTo: ["Uppsala*", "Universidad*Salamanca"]),
  ]

  @Test func configuredRoomsAreListedJoinedAndKeptAcrossARestart() throws {
    let first = try TestServer {
      $0.rooms = Self.rooms
      $0.operators = [OperatorConfiguration(name: "root", password: "secret-oper-password")]
    }
    var stopLater: TestServer? = first
    defer { stopLater?.stop() }

    let bob = try first.registered("bob")
    try bob.send("LIST")
    let listed = try bob.readUntil("323") { $0.command == "323" }.with("322")
    #expect(
      listed.map { Array($0.params.dropFirst()) } == [
        ["#lobby", "0", "[social] Start here — Welcome week"],
        [
          "#optics", "0",
          "[research] Joint optics group (open to: Uppsala*, Universidad*Salamanca)",
        ],
      ])
    try bob.send("LIST kind=research")
    let research = try bob.readUntil("323") { $0.command == "323" }.with("322")
    #expect(research.map { $0.params[1] } == ["#optics"])

    let joined = try bob.join("#lobby")
    #expect(joined.with("NOTICE").first?.params == ["#lobby", "[social] Start here"])
    #expect(joined.with("353").first?.params.last == "bob", "the first visitor is not opped")
    try bob.send("JOIN #optics")
    _ = try bob.expect("473")
    try bob.send("MOTD")
    let motd = try bob.readUntil("376") { $0.command == "376" }.with("372")
    #expect(motd.contains { $0.params.last?.contains("/join #lobby") == true }, "\(motd)")

    // An IRC operator changes the lobby over IRC; the file's values do not come back.
    let root = try first.registered("root")
    try root.send("OPER root secret-oper-password")
    _ = try root.expect("381")
    try root.send("ROOM SET #lobby DESCRIPTION :The front door")
    try root.expect("NOTE") { $0.params.prefix(2) == ["ROOM", "SET"] }

    let second = try first.restarted { $0.rooms = Self.rooms }
    stopLater = second
    let carol = try second.registered("carol")
    try carol.send("LIST #lobby")
    let lobby = try carol.readUntil("323") { $0.command == "323" }.with("322")
    #expect(lobby.first?.params.last == "[social] The front door — Welcome week")
  }
}
