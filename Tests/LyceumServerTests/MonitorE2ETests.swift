import Foundation
import LyceumProtocol
import Testing

/// MONITOR over real TLS connections: a watcher is told when a friend connects, changes nick
/// and leaves, and (with `extended-monitor`) goes away, without sharing a channel.
@Suite struct MonitorE2ETests {
  @Test func aWatcherFollowsAFriendComingAndGoing() throws {
    let server = try TestServer()
    defer { server.stop() }
    let watcher = try server.registered("watcher", caps: ["extended-monitor", "away-notify"])
    try watcher.send("MONITOR + ada")
    #expect(try watcher.readUntil("731") { $0.command == "731" }.last?.trailing == "ada")

    let ada = try server.registered("ada")
    let online = try watcher.readUntil("730") { $0.command == "730" }
    #expect(online.last?.trailing.hasPrefix("ada!") == true)
    try ada.send("AWAY :in a seminar")
    let away = try watcher.readUntil("AWAY") { $0.command == "AWAY" }
    #expect(away.last?.params == ["in a seminar"])
    try ada.send("NICK lovelace")
    #expect(try watcher.readUntil("731") { $0.command == "731" }.last?.trailing == "ada")
    try ada.send("NICK ada")
    #expect(
      try watcher.readUntil("730") { $0.command == "730" }.last?.trailing.hasPrefix("ada!") == true)
    try ada.send("QUIT :done")
    #expect(try watcher.readUntil("731") { $0.command == "731" }.last?.trailing == "ada")
  }
}
