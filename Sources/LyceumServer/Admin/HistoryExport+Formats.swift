import Foundation
import LyceumCore

extension HistoryExport {
  /// Formats entries one at a time, remembering the thread of each message seen so far.
  struct Writer {
    let format: Format
    let channel: String
    let thread: String?
    /// The thread of every message written: its root's msgid (its own if it is no reply).
    private var threads: [String: String] = [:]
    /// The author and time of every message written, for "in reply to" notes.
    private var authors: [String: (nick: String, time: Int64)] = [:]
    private var day: String? = nil

    init(format: Format, channel: String, thread: String?) {
      self.format = format
      self.channel = channel
      self.thread = thread
    }

    /// The title names the channel as it was relayed and a thread by its root (the first
    /// entry, unless the root has expired), whichever names they were asked by.
    func header(exportedAt time: Int64, first: HistoryEntry?) -> String {
      switch format {
      case .jsonl: return ""
      case .markdown:
        let relayed = first.flatMap {
          ["QUIT", "NICK"].contains($0.command) ? nil : $0.params.first
        }
        let channel = markdownEscaped(relayed ?? self.channel)
        let root = thread.map { asked in
          first.flatMap { $0.replyTo == nil ? $0.msgid : nil } ?? asked
        }
        let title =
          root.map { "# Thread \(markdownEscaped($0)) in \(channel)" } ?? "# \(channel)"
        return "\(title)\n\nExported \(utc(time, seconds: true)) UTC. Times are UTC; replies "
          + "are quoted under a note of the message they answer.\n"
      }
    }

    func footer(count: Int) -> String? {
      guard format == .markdown else { return nil }
      return count == 0 ? "\n*No entries.*\n" : nil
    }

    mutating func line(_ entry: HistoryEntry) -> String {
      let root = entry.replyTo.flatMap { threads[$0] }
      let nick = String(entry.source.prefix { $0 != "!" })
      if !entry.isEvent {
        threads[entry.msgid] = root ?? entry.msgid
        authors[entry.msgid] = (nick, entry.timeMilliseconds)
      }
      switch format {
      case .jsonl: return HistoryExport.jsonLine(entry, threadRoot: root) + "\n"
      case .markdown: return markdown(entry, nick: nick, isReply: root != nil)
      }
    }

    private mutating func markdown(_ entry: HistoryEntry, nick: String, isReply: Bool) -> String {
      var out = ""
      let date = String(utc(entry.timeMilliseconds, seconds: false).prefix(10))
      if date != day {
        day = date
        out += "\n## \(date)\n\n"
      }
      let time = "`\(String(utc(entry.timeMilliseconds, seconds: true).suffix(8)))`"
      let name = markdownEscaped(nick)
      let who = "**\(name)**"
      let text = entry.params.count > 1 ? entry.params[entry.params.count - 1] : ""
      var body: String
      switch entry.command {
      case "PRIVMSG", "NOTICE":
        if text.hasPrefix("\u{1}ACTION ") {
          let action = text.dropFirst(8).filter { $0 != "\u{1}" }
          body = "\(time) \\* \(who) \(markdownEscaped(String(action)))"
        } else {
          body = "\(time) \(who): \(markdownEscaped(text))"
          if entry.command == "NOTICE" { body += " *(notice)*" }
        }
      case "TOPIC": body = "\(time) *\(name) set the topic:* \(markdownEscaped(text))"
      case "JOIN": body = "\(time) *\(name) joined*"
      case "PART": body = "\(time) *\(name) left*"
      case "QUIT": body = "\(time) *\(name) quit*"
      case "KICK":
        body = "\(time) *\(name) removed \(markdownEscaped(entry.params.dropFirst().first ?? ""))*"
      case "NICK": body = "\(time) *\(name) is now \(markdownEscaped(text))*"
      default:
        body =
          "\(time) *\(name) \(entry.command) \(markdownEscaped(entry.params.dropFirst().joined(separator: " ")))*"
      }
      if isReply, let parent = entry.replyTo.flatMap({ authors[$0] }) {
        let when = String(utc(parent.time, seconds: true).suffix(8))
        out += "> ↳ *in reply to \(markdownEscaped(parent.nick)) at \(when)*  \n> \(body)\n\n"
      } else {
        out += body + "\n\n"
      }
      return out
    }
  }

  /// One entry as a JSON object on one line: `msgid`, `time` (ISO 8601, UTC, milliseconds),
  /// `command`, `nick`, `source`, `account`, `target` (the channel as relayed), `params` (the
  /// parameters after the target), `text` (a message's or topic's text), `reply_to` and
  /// `thread_root`, and `tags` (client tags). Absent values are `null`; keys are sorted.
  static func jsonLine(_ entry: HistoryEntry, threadRoot: String?) -> String {
    // QUIT and NICK name no channel: they are kept under each channel the client was in.
    let namesChannel = !["QUIT", "NICK"].contains(entry.command)
    let text: Any =
      ["PRIVMSG", "NOTICE", "TOPIC"].contains(entry.command) && entry.params.count > 1
      ? entry.params[entry.params.count - 1]
      : entry.command == "QUIT" ? (entry.params.last ?? "") : NSNull()
    var tags: [String: Any] = [:]
    for tag in entry.clientTags { tags[tag.key] = tag.value ?? NSNull() }
    let object: [String: Any] = [
      "msgid": entry.msgid,
      "time": ServerTime.format(milliseconds: entry.timeMilliseconds),
      "command": entry.command,
      "nick": String(entry.source.prefix { $0 != "!" }),
      "source": entry.source,
      "account": entry.account ?? NSNull(),
      "target": namesChannel
        ? (entry.params.first.map { $0 as Any } ?? NSNull()) : entry.target.key,
      "params": namesChannel ? Array(entry.params.dropFirst()) : entry.params,
      "text": text,
      "reply_to": entry.replyTo ?? NSNull(),
      "thread_root": threadRoot ?? NSNull(),
      "tags": tags,
    ]
    // Only strings, arrays, dictionaries and NSNull: serialization cannot fail.
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}

/// `text` with every character Markdown could read as markup backslash-escaped, so that a
/// message is shown as it was typed (CommonMark lets any ASCII punctuation be escaped).
func markdownEscaped(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for character in text {
    if "\\`*_{}[]<>!~|&#".contains(character) { out.append("\\") }
    if character.isNewline || character == "\u{1}" {
      out.append(" ")
    } else {
      out.append(character)
    }
  }
  return out
}

/// `YYYY-MM-DD hh:mm:ss` (or `YYYY-MM-DD hh:mm`) in UTC.
private func utc(_ milliseconds: Int64, seconds: Bool) -> String {
  let iso = ServerTime.format(milliseconds: milliseconds)  // YYYY-MM-DDThh:mm:ss.sssZ
  let date = iso.prefix(10)
  let time = iso.dropFirst(11).prefix(seconds ? 8 : 5)
  return "\(date) \(time)"
}
