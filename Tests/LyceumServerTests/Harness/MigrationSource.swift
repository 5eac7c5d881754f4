import Foundation
import LyceumCore
import LyceumProtocol
import LyceumStore

/// A real SQLite data directory for `lyceumd migrate-store`, filled through the stores: accounts
/// with credentials and certificates, tokens (with and without SCRAM keys, used and unused),
/// rooms with every kind of state, read markers, and a history of a few thousand entries in
/// several channels and direct conversations, with events, threads, reactions, multiline
/// messages and redactions (one of them of a thread's root, whose replies stay in its thread).
enum MigrationSource {
  /// The first entry's time: 2026-01-01T00:00:00Z.
  static let start: Int64 = 1_767_225_600_000
  static let channels = ["#lab", "#exchange", "#quiet"]
  static let directs = [HistoryTarget.between("ada", "bo"), .between("bo", "cy")]

  /// Makes the data directory and returns its path; every store is closed when this returns
  /// (no process holds the database open).
  static func make(entries: Int) throws -> String {
    let directory = TestServer.makeTemporaryDirectory()
    let database = try LyceumDatabase.inDataDirectory(directory)
    try fillAccounts(SQLiteAccountStore(database: database))
    try fillRooms(SQLiteRoomStore(database: database))
    let markers = SQLiteReadMarkerStore(database: database)
    for (account, target, time) in [("ada", "#lab", 5), ("bo", "#lab", 9), ("ada", "@ada:bo", 3)] {
      try markers.save(
        ReadMarker(account: account, target: target, milliseconds: start + Int64(time)))
    }
    try fillHistory(SQLiteHistoryStore(database: database), entries: entries)
    return directory
  }

  private static func fillAccounts(_ store: SQLiteAccountStore) throws {
    for (index, name) in ["Ada", "bo", "cy"].enumerated() {
      let salt = [UInt8](repeating: UInt8(index + 1), count: 16)
      try store.create(
        AccountRecord(
          name: name, foldedName: name.lowercased(), createdAtMilliseconds: start - 1000,
          institution: index == 2 ? nil : "University \(index)",
          role: AccountRole.allCases[index], displayName: "\(name) the tester",
          email: index == 0 ? "ada@example.edu" : nil,
          password: PasswordCredential(
            scryptHash: "scrypt$16384$8$1$c2FsdA==$aGFzaA\(index)", scramSalt: salt,
            scramIterations: 4096, scramStoredKey: salt + [9], scramServerKey: salt + [7]),
          certificateFingerprints: index == 0
            ? [String(repeating: "ab", count: 32), String(repeating: "0f", count: 32)] : []))
    }
    try store.addToken(
      APITokenRecord(
        accountFoldedName: "ada", name: "ci", secretDigest: String(repeating: "1", count: 64),
        createdAtMilliseconds: start, lastUsedMilliseconds: start + 77,
        scram: SCRAMKeyRecord(salt: [1, 2], iterations: 4096, storedKey: [3], serverKey: [4])))
    try store.addToken(
      APITokenRecord(
        accountFoldedName: "ada", name: "old", secretDigest: String(repeating: "2", count: 64),
        createdAtMilliseconds: start + 1))
    try store.addToken(
      APITokenRecord(
        accountFoldedName: "cy", name: "bot", secretDigest: String(repeating: "3", count: 64),
        createdAtMilliseconds: start + 2))
  }

  private static func fillRooms(_ store: SQLiteRoomStore) throws {
    var modes = ChannelModes()
    modes.inviteOnly = true
    modes.key = "sesame"
    modes.limit = 40
    modes.noCTCP = true
    let entry = { (mask: String, time: Int64) in
      ListEntry(mask: mask, setBy: "ada", setAtMilliseconds: start + time)
    }
    try store.save(
      RoomRecord(
        name: "#Lab", foldedName: "#lab", owner: "ada", operatorAccounts: ["bo", "cy"],
        topic: Topic(text: "the lab", setBy: "ada!a@h", setAtMilliseconds: start + 4),
        bans: [entry("*!*@spam", 1), entry("x!*@*", 2)], inviteExceptions: [entry("bo!*@*", 3)],
        banExceptions: [entry("*!*@good", 4)], createdAtMilliseconds: start,
        description: "joint research", kind: .research))
    try store.save(
      RoomRecord(
        name: "#exchange", foldedName: "#exchange", owner: "bo", modes: modes,
        createdAtMilliseconds: start + 5, kind: .exchange))
  }
}
