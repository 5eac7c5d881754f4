import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `CHATHISTORY` over the wire (TLS, the in-process server): history that outlives a restart,
/// every subcommand with both kinds of reference, who may read what, direct history between
/// accounts, and labelled requests.
@Suite struct HistoryE2ETests {
  // Tests here are filled in below.
}

// MARK: - Helpers shared with CrashDurabilityE2ETests

/// One `CHATHISTORY` reply as read off the wire: the batch (type, parameters, content), or the
/// `FAIL` that came instead.
struct HistoryReply {
  var batchType: String?
  var batchParams: [String] = []
  /// The lines inside the batch, in order.
  var messages: [IRCMessage] = []
  /// The `FAIL CHATHISTORY …` line, if that was the answer.
  var fail: IRCMessage?
  /// Everything read up to the end of the reply.
  var read: [IRCMessage] = []

  var msgids: [String] { messages.compactMap { $0.tagValue("msgid") } }
  /// The text of each `PRIVMSG`/`NOTICE` in the batch.
  var texts: [String] {
    messages.filter { ["PRIVMSG", "NOTICE"].contains($0.command) }.map(\.trailing)
  }
}

/// Capabilities a history-reading client asks for.
let historyCaps = ["batch", "server-time", "message-tags", "draft/chathistory"]

extension TestClient {
  /// Sends `CHATHISTORY <arguments>` and reads its answer: the whole `chathistory` (or
  /// `draft/chathistory-targets`) batch, or a `FAIL CHATHISTORY`. Needs `batch`.
  func chathistory(_ arguments: String, timeout: Duration = .seconds(10)) throws -> HistoryReply {
    try send("CHATHISTORY \(arguments)")
    var batchID: String?
    var reply = HistoryReply()
    reply.read = try readUntil(timeout: timeout, "the answer to CHATHISTORY \(arguments)") {
      message in
      if message.command == "FAIL", message.params.first == "CHATHISTORY" { return true }
      guard message.command == "BATCH", let reference = message.params.first else { return false }
      if let batchID { return reference == "-" + batchID }
      if reference.hasPrefix("+"), message.params.count >= 2,
        ["chathistory", "draft/chathistory-targets"].contains(message.params[1])
      {
        batchID = String(reference.dropFirst())
      }
      return false
    }
    if let last = reply.read.last, last.command == "FAIL" {
      reply.fail = last
      return reply
    }
    let opening = reply.read.first {
      $0.command == "BATCH" && $0.params.first == "+" + (batchID ?? "")
    }
    reply.batchType = opening?.params[1]
    reply.batchParams = Array(opening?.params.dropFirst(2) ?? [])
    reply.messages = reply.read.filter {
      $0.tagValue("batch") == batchID && $0.command != "BATCH"
    }
    return reply
  }

  /// The `CHATHISTORY=` ISUPPORT value in a welcome burst.
  static func chathistoryLimit(in welcome: [IRCMessage]) -> Int? {
    for message in welcome.with("005") {
      for token in message.params.dropFirst() where token.hasPrefix("CHATHISTORY=") {
        return Int(token.dropFirst("CHATHISTORY=".count))
      }
    }
    return nil
  }
}

extension IRCMessage {
  var msgid: String? { tagValue("msgid") }
}
