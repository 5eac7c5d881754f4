import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// Registered rooms over real TLS: what a room's owner set up is there again after the server
/// restarts on the same data directory.
@Suite struct RoomsE2ETests {
  static let adaPassword = "lab-notebook-2718"
  static let gracePassword = "compilers-all-the-way"

  @Test func roomSurvivesARestart() throws {
    let first = try TestServer(prepare: { directory in
      try AccountSeed.account(directory, "ada", AccountSettings(password: Self.adaPassword))
      try AccountSeed.account(directory, "grace", AccountSettings(password: Self.gracePassword))
    })
    var stopLater: TestServer? = first
    defer { stopLater?.stop() }

    let ada = try first.connect(name: "ada")
    try ada.registerWithPlain(nick: "ada", account: "ada", password: Self.adaPassword)
    try ada.join("#lab")
    try ada.send("TOPIC #lab :Spectroscopy, Thursdays at ten")
    try ada.send("MODE #lab +k sesame")
    try ada.send("MODE #lab +b spam!*@*")
    let grace = try first.connect(name: "grace")
    try grace.registerWithPlain(nick: "grace", account: "grace", password: Self.gracePassword)
    try grace.join("#lab", key: "sesame")
    try ada.send("MODE #lab +o grace")
    try ada.expect("MODE") { $0.params == ["#lab", "+o", "grace"] }
    try ada.send("ROOM INFO #lab")
    let info = try ada.expect("NOTE")
    #expect(info.params.prefix(5) == ["ROOM", "INFO", "#lab", "ada", "grace"])

    let second = try first.restarted()
    stopLater = second

    let bob = try second.registered("bob")
    try bob.send("JOIN #lab")
    let refused = try bob.expect("475")
    #expect(refused.params.dropFirst().first == "#lab")
    let joined = try bob.join("#lab", key: "sesame")
    #expect(joined.with("JOIN").first?.params.first == "#lab", "\(joined)")
    #expect(joined.with("332").first?.params.last == "Spectroscopy, Thursdays at ten")
    try bob.send("MODE #lab b")
    let bans = try bob.readUntil("368") { $0.command == "368" }.with("367")
    #expect(bans.map { $0.params[2] } == ["spam!*@*"])

    let graceAgain = try second.connect(name: "grace-again")
    try graceAgain.registerWithPlain(
      nick: "grace", account: "grace", password: Self.gracePassword)
    try graceAgain.send("JOIN #lab sesame")
    let opped = try graceAgain.expect("MODE")
    #expect(opped.source == "test.lyceum.local")
    #expect(opped.params == ["#lab", "+o", "grace"])
    try bob.expect("MODE") { $0.params == ["#lab", "+o", "grace"] }
  }
}
