import LyceumProtocol
import Testing

@testable import LyceumCore

/// The room directory: a registered room's description and kind (`ROOM SET`), shown in `LIST`
/// and on join, `LIST kind=…`, and who an institution-only room is open to.
@Suite("Room directory")
struct RoomDirectoryTests {
  static let ada = Accounts.summary("Ada", institution: "Uppsala University")
  static let grace = Accounts.summary("Grace")

  /// A harness with Ada logged in and owning `#lab`; returns Ada's id.
  func labOwnedByAda() -> (CoreHarness, ClientID) {
    let h = CoreHarness()
    h.core.loadAccounts([Self.ada, Self.grace])
    let ada = h.registerLoggedIn(nick: "ada", as: Self.ada)
    _ = h.exchange("JOIN #lab", from: ada)
    return (h, ada)
  }

  @Test func operatorsSetDescriptionAndKindAndTheRoomRecordKeepsThem() {
    let (h, ada) = labOwnedByAda()
    let set = h.exchange("ROOM SET #lab DESCRIPTION :Joint spectroscopy", from: ada)
    #expect(set.first?.command == "NOTE")
    #expect(set.first?.params == ["ROOM", "SET", "#lab", "DESCRIPTION", "Joint spectroscopy"])
    _ = h.exchange("ROOM SET #lab KIND Research", from: ada)
    let record = h.channel("#lab").roomRecord
    #expect(record?.description == "Joint spectroscopy")
    #expect(record?.kind == .research)
    #expect(h.events.contains(.roomChanged(record!)))
    // Without a value the setting is cleared.
    _ = h.exchange("ROOM SET #lab KIND", from: ada)
    #expect(h.channel("#lab").kind == nil)
  }

  @Test func badSettingsAndStrangersAreRefused() {
    let (h, ada) = labOwnedByAda()
    let bob = h.connectRegistered("bob")
    _ = h.exchange("JOIN #lab", from: bob)
    let stranger = h.exchange("ROOM SET #lab KIND social", from: bob)
    #expect(stranger.first?.params.prefix(2) == ["ROOM", "CHANOP_REQUIRED"])
    let kind = h.exchange("ROOM SET #lab KIND party", from: ada)
    #expect(kind.first?.params.prefix(4) == ["ROOM", "INVALID_KIND", "#lab", "party"])
    let long = String(repeating: "x", count: 161)
    let tooLong = h.exchange("ROOM SET #lab DESCRIPTION :\(long)", from: ada)
    #expect(tooLong.first?.params.prefix(2) == ["ROOM", "DESCRIPTION_TOO_LONG"])
    let setting = h.exchange("ROOM SET #lab COLOUR blue", from: ada)
    #expect(setting.first?.params.prefix(2) == ["ROOM", "INVALID_SETTING"])
    let missing = h.exchange("ROOM SET #lab", from: ada)
    #expect(missing.first?.params.prefix(2) == ["ROOM", "INVALID_PARAMS"])
    let ordinary = h.connectRegistered("guest")
    _ = h.exchange("JOIN #open", from: ordinary)
    let unregistered = h.exchange("ROOM SET #open KIND social", from: ordinary)
    #expect(unregistered.first?.params.prefix(2) == ["ROOM", "NOT_REGISTERED"])
  }

  @Test func listShowsKindDescriptionOpenToAndTopicInTheTopicField() {
    let (h, ada) = labOwnedByAda()
    _ = h.exchange("TOPIC #lab :Seminar Friday", from: ada)
    _ = h.exchange("ROOM SET #lab DESCRIPTION :Joint spectroscopy", from: ada)
    _ = h.exchange("ROOM SET #lab KIND research", from: ada)
    _ = h.exchange("MODE #lab +iII $i:Uppsala* $i:Universidad*Salamanca", from: ada)
    let list = h.exchange("LIST", from: ada).filter { $0.command == "322" }
    #expect(
      list.map(\.params) == [
        [
          "ada", "#lab", "1",
          "[research] Joint spectroscopy (open to: Uppsala*, Universidad*Salamanca) — Seminar Friday",
        ]
      ])
    // An ordinary channel shows its topic only, as before.
    let bob = h.connectRegistered("bob")
    _ = h.exchange("JOIN #chat", from: bob)
    _ = h.exchange("TOPIC #chat :hello", from: bob)
    let plain = h.exchange("LIST #chat", from: bob).filter { $0.command == "322" }
    #expect(plain.first?.params.last == "hello")
  }

  @Test func listFiltersByKindAlongsideMasksAndCounts() {
    let (h, ada) = labOwnedByAda()
    _ = h.exchange("JOIN #lab-two", from: ada)
    _ = h.exchange("JOIN #coffee", from: ada)
    _ = h.exchange("ROOM SET #lab KIND research", from: ada)
    _ = h.exchange("ROOM SET #lab-two KIND research", from: ada)
    _ = h.exchange("ROOM SET #coffee KIND social", from: ada)
    func listed(_ line: String) -> [String] {
      h.exchange(line, from: ada).filter { $0.command == "322" }.map { $0.params[1] }
    }
    #expect(listed("LIST kind=research") == ["#lab", "#lab-two"])
    #expect(listed("LIST KIND=Social") == ["#coffee"])
    #expect(listed("LIST kind=research,!#lab-*") == ["#lab"])
    #expect(listed("LIST kind=research,>1") == [])
    let bad = h.exchange("LIST kind=party", from: ada)
    #expect(bad.first?.command == "FAIL")
    #expect(bad.first?.params.prefix(3) == ["LIST", "INVALID_KIND", "kind=party"])
  }

  @Test func joiningARoomWithADescriptionShowsItAfterTheTopic() {
    let (h, ada) = labOwnedByAda()
    _ = h.exchange("TOPIC #lab :Seminar Friday", from: ada)
    _ = h.exchange("ROOM SET #lab DESCRIPTION :Joint spectroscopy", from: ada)
    _ = h.exchange("ROOM SET #lab KIND research", from: ada)
    let bob = h.connectRegistered("bob")
    let join = h.exchange("JOIN #lab", from: bob)
    #expect(join.map(\.command) == ["JOIN", "332", "333", "NOTICE", "353", "366"])
    #expect(join[3].params == ["#lab", "[research] Joint spectroscopy"])
  }

  @Test func roomInfoNamesKindAndDescription() {
    let (h, ada) = labOwnedByAda()
    _ = h.exchange("ROOM SET #lab KIND exchange", from: ada)
    _ = h.exchange("ROOM SET #lab DESCRIPTION :Visiting faculty", from: ada)
    let info = h.exchange("ROOM INFO #lab", from: ada)
    #expect(
      info.first?.params.last == "#lab is registered to Ada; kind: exchange; Visiting faculty")
  }
}
