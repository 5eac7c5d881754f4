import Foundation
import LyceumCore
import LyceumProtocol
import LyceumStore
import Testing

@testable import LyceumServer

/// `lyceumd export`'s logic over a temporary SQLite store: a thread in `#Lab`, an event, a
/// message full of Markdown, and another room.
@Suite struct HistoryExportTests {
  static let base: Int64 = 1_795_000_000_000  // 2026-11-18T11:06:40Z

  static func entry(
    _ n: Int, _ command: String = "PRIVMSG", by nick: String, account: String? = nil,
    text: String? = nil, replyTo: String? = nil, channel: String = "#lab",
    tags: [IRCTag] = []
  ) -> HistoryEntry {
    HistoryEntry(
      msgid: "m\(n)", timeMilliseconds: base + Int64(n) * 1000, target: .channel(channel),
      command: command, source: "\(nick)!\(nick)@uu.se", account: account, clientTags: tags,
      params: text.map { ["#Lab", $0] } ?? ["#Lab"], replyTo: replyTo)
  }

  static let sample: [HistoryEntry] = [
    entry(1, by: "ada", account: "Ada", text: "Has anyone calibrated the spectrometer?"),
    entry(2, "JOIN", by: "bob"),
    entry(
      3, by: "bob", text: "Yes: use *lamp_2* [not] `#3` <b>&amp; \\o/", replyTo: "m1",
      tags: [IRCTag("+reply", "m1")]),
    entry(4, by: "ada", account: "Ada", text: "Thanks", replyTo: "m3"),
    entry(5, by: "carl", text: "\u{1}ACTION waves\u{1}"),
    entry(6, "TOPIC", by: "ada", account: "Ada", text: "Spectroscopy \"Thursdays\""),
    entry(7, by: "dan", text: "elsewhere", channel: "#other"),
  ]

  func withExport(pageSize: Int = 2, _ body: (HistoryExport) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-export-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let database = try LyceumDatabase.inDataDirectory(directory)
    try SQLiteHistoryStore(database: database).append(Self.sample)
    #expect(throws: HistoryExportError.self) {
      try HistoryExport.open(dataDirectory: directory + "/missing")
    }
    let opened = try HistoryExport.open(dataDirectory: directory)
    try body(
      HistoryExport(store: opened.store, pageSize: pageSize, now: { Self.base + 3_600_000 }))
  }

  func run(_ export: HistoryExport, _ format: HistoryExport.Format, thread: String? = nil)
    throws -> (String, Int)
  {
    var out = ""
    let count = try export.export(channel: "#LAB", thread: thread, format: format) {
      out += $0
    }
    return (out, count)
  }

  @Test func jsonLinesParseBackOneObjectPerEntry() throws {
    try withExport { export in
      let (text, count) = try run(export, .jsonl)
      #expect(count == 6)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == 7 && lines.last == "")
      let objects = try lines.dropLast().map {
        try #require(
          try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
      #expect(objects.map { $0["msgid"] as? String } == ["m1", "m2", "m3", "m4", "m5", "m6"])
      #expect(objects[0]["time"] as? String == "2026-11-18T11:06:41.000Z")
      #expect(objects[0]["account"] as? String == "Ada")
      #expect(objects[0]["nick"] as? String == "ada")
      #expect(objects[0]["text"] as? String == "Has anyone calibrated the spectrometer?")
      #expect(objects[0]["reply_to"] is NSNull)
      #expect(objects[0]["thread_root"] is NSNull)
      #expect(objects[1]["command"] as? String == "JOIN")
      #expect(objects[1]["text"] is NSNull && objects[1]["account"] is NSNull)
      #expect(objects[2]["text"] as? String == "Yes: use *lamp_2* [not] `#3` <b>&amp; \\o/")
      #expect(objects[2]["reply_to"] as? String == "m1")
      #expect((objects[2]["tags"] as? [String: Any])?["+reply"] as? String == "m1")
      #expect(objects[3]["reply_to"] as? String == "m3")
      #expect(objects[3]["thread_root"] as? String == "m1")
      #expect(objects[5]["text"] as? String == "Spectroscopy \"Thursdays\"")
      #expect(objects[5]["params"] as? [String] == ["Spectroscopy \"Thursdays\""])
    }
  }

  @Test func markdownIsAReadableTranscriptWithEscapedText() throws {
    try withExport { export in
      let (text, _) = try run(export, .markdown)
      #expect(text.hasPrefix("# \\#Lab\n\nExported 2026-11-18 12:06:40 UTC."))
      #expect(text.contains("\n## 2026-11-18\n\n"))
      #expect(text.contains("`11:06:41` **ada**: Has anyone calibrated the spectrometer?\n"))
      #expect(text.contains("`11:06:42` *bob joined*\n"))
      #expect(
        text.contains(
          "> ↳ *in reply to ada at 11:06:41*  \n> `11:06:43` **bob**: "
            + "Yes: use \\*lamp\\_2\\* \\[not\\] \\`\\#3\\` \\<b\\>\\&amp; \\\\o/\n"))
      #expect(text.contains("> ↳ *in reply to bob at 11:06:43*  \n> `11:06:44` **ada**: Thanks\n"))
      #expect(text.contains("`11:06:45` \\* **carl** waves\n"))
      #expect(text.contains("`11:06:46` *ada set the topic:* Spectroscopy \"Thursdays\"\n"))
      #expect(!text.contains("elsewhere"))
    }
  }

  @Test func oneThreadInEitherFormat() throws {
    try withExport { export in
      let (jsonl, count) = try run(export, .jsonl, thread: "m4")
      #expect(count == 3)
      let ids = jsonl.split(separator: "\n").map {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["msgid"]
          as? String
      }
      #expect(ids == ["m1", "m3", "m4"])
      let (markdown, _) = try run(export, .markdown, thread: "m3")
      #expect(markdown.hasPrefix("# Thread m1 in \\#Lab\n"))
      #expect(!markdown.contains("joined"))
      #expect(throws: HistoryExportError.unknownThread("nope", "#LAB")) {
        try run(export, .jsonl, thread: "nope")
      }
    }
  }

  @Test func badChannelsAndEmptyRooms() throws {
    try withExport(pageSize: 100) { export in
      #expect(throws: HistoryExportError.invalidChannel("lab")) {
        try export.export(channel: "lab", format: .jsonl) { _ in }
      }
      var out = ""
      let none = try export.export(channel: "#empty", format: .jsonl) { out += $0 }
      #expect(none == 0)
      #expect(out == "")
      _ = try export.export(channel: "#empty", format: .markdown) { out += $0 }
      #expect(out.hasSuffix("*No entries.*\n"))
    }
  }
}
