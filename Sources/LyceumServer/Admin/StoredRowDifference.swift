import LyceumCore
import LyceumStore

/// The first field in which a copied history row differs from its original, worded for the
/// operator: which msgid, which field, both values (history is the operator's own data; no
/// secret is in it).
enum StoredRowDifference {
  /// Nil when the rows are the same but for their ids.
  static func between(_ original: StoredHistoryRow, _ copy: StoredHistoryRow) -> String? {
    if let difference = entry(original.entry, copy.entry) { return difference }
    let msgid = original.entry.msgid
    if original.timeKey != copy.timeKey {
      return "msgid \(msgid): time key \(original.timeKey) in SQLite, \(copy.timeKey) copied"
    }
    if original.messageTimeKey != copy.messageTimeKey {
      return "msgid \(msgid): message time key \(String(describing: original.messageTimeKey)) "
        + "in SQLite, \(String(describing: copy.messageTimeKey)) copied"
    }
    if original.threadRoot != copy.threadRoot {
      return "msgid \(msgid): thread root \(original.threadRoot ?? "none") in SQLite, "
        + "\(copy.threadRoot ?? "none") copied"
    }
    return nil
  }

  /// Nil when the entries are equal.
  static func entry(_ original: HistoryEntry, _ copy: HistoryEntry) -> String? {
    guard original != copy else { return nil }
    let fields: [(String, String, String)] = [
      ("msgid", original.msgid, copy.msgid),
      ("target", original.target.key, copy.target.key),
      ("time", String(original.timeMilliseconds), String(copy.timeMilliseconds)),
      ("command", original.command, copy.command),
      ("sender", original.source, copy.source),
      ("account", original.account ?? "none", copy.account ?? "none"),
      ("params", "\(original.params)", "\(copy.params)"),
      ("reply-to", original.replyTo ?? "none", copy.replyTo ?? "none"),
    ]
    let prefix = "msgid \(original.msgid): "
    for (name, was, copied) in fields where was != copied {
      return prefix + "\(name) \(was) in SQLite, \(copied) copied"
    }
    return prefix + (original.clientTags != copy.clientTags ? "client tags differ" : "lines differ")
  }
}
