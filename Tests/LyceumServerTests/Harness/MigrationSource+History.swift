import LyceumCore
import LyceumProtocol
import LyceumStore

/// The history of `MigrationSource`: kept through `SQLiteHistoryStore.append` in groups, as
/// the server's writer keeps it, so that redactions erase and replies join threads as they do
/// in a running server.
extension MigrationSource {
  static func fillHistory(_ store: SQLiteHistoryStore, entries count: Int) throws {
    var generator = MessageIDGenerator()
    var group: [HistoryEntry] = []
    var roots: [HistoryTarget: String] = [:]
    for index in 0..<count {
      let time = start + Int64(index) * 1000
      let target: HistoryTarget =
        index % 10 == 9 ? directs[index % 20 == 9 ? 0 : 1] : .channel(channels[index % 3])
      let msgid = generator.next(wallClockMilliseconds: time)
      let name = ["ada", "bo", "cy"][index % 3]
      let recipient = target.key.hasPrefix("@") ? "bo" : target.key
      var entry = HistoryEntry(
        msgid: msgid, timeMilliseconds: time, target: target, command: "PRIVMSG",
        source: "\(name)!\(name)@uni.example", account: name, params: [recipient, "line \(index)"])
      switch index % 50 {
      case 0:
        entry.command = "JOIN"
        entry.params = [recipient]
      case 7:
        entry.command = "TOPIC"
        entry.params = [recipient, "topic \(index): ünïcödé, spaces  and ; colons :"]
      case 11, 12, 13:
        entry.replyTo = roots[target]
        entry.clientTags = [IRCTag("+draft/reply", roots[target])]
      case 14:
        entry.command = "TAGMSG"
        entry.params = [recipient]
        entry.clientTags = [IRCTag("+draft/react", "👍"), IRCTag("+draft/reply", roots[target])]
      case 21:
        entry.lines = [MultilineLine("first part"), MultilineLine(" glued", concatenates: true)]
        entry.params = [recipient, "first part glued"]
      case 30:
        entry.command = "NOTICE"
        entry.params = [recipient, ""]
      default:
        break
      }
      if index % 50 == 10 { roots[target] = msgid }
      group.append(entry)
      // A REDACT of this target's latest root, after its replies: they keep its thread; later
      // replies to it join none.
      if index % 200 == 45, let root = roots[target] {
        group.append(
          HistoryEntry(
            msgid: generator.next(wallClockMilliseconds: time), timeMilliseconds: time,
            target: target, command: "REDACT", source: entry.source, account: name,
            params: [recipient, root]))
      }
      if group.count >= 97 {
        try store.append(group)
        group = []
      }
    }
    try store.append(group)
  }
}
