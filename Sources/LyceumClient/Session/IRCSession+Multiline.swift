import LyceumProtocol

/// Receiving IRCv3 `draft/multiline`: the lines of a `BATCH +id draft/multiline <target>` are
/// held until `BATCH -id` and then become ONE message (the batch's msgid, time and sender),
/// whose lines are joined by line feeds, or by nothing where a line carries
/// `draft/multiline-concat`. Inside a history batch the message joins that batch's lines, so a
/// page holds it once, in its place.
extension IRCSession {
  /// The most lines one multiline message keeps (the server allows 100); a longer one is cut.
  public static let maximumMultilineLines = 1_000
  /// The most bytes of text one multiline message keeps (the server allows 4 096).
  public static let maximumMultilineBytes = 64 * 1024
  /// What ends a multiline message cut at the bounds above (a broken or hostile server).
  static let multilineCutMark = " […]"

  /// Holds one line of an open multiline batch, within the bounds.
  mutating func holdMultilineLine(_ message: IRCMessage, batch id: String) {
    guard var batch = openBatches[id], !batch.isCut else { return }
    let command = message.uppercasedCommand
    guard command == "PRIVMSG" || command == "NOTICE" else { return }
    let bytes = (message.params.count > 1 ? message.params[1] : "").utf8.count + 1
    if batch.lines.count >= Self.maximumMultilineLines
      || batch.textBytes + bytes > Self.maximumMultilineBytes
    {
      batch.isCut = true
    } else {
      batch.lines.append(message)
      batch.textBytes += bytes
    }
    openBatches[id] = batch
  }

  /// A multiline batch ended: its message goes into the history batch it is nested in, or is
  /// handled as a live `PRIVMSG` (a label on its opening line is answered: the echo arrived).
  mutating func finishMultiline(_ batch: OpenBatch, now: Int64, _ out: inout [SessionEvent]) {
    guard let message = Self.combinedMessage(of: batch) else { return }
    if let parent = batch.parent, openBatches[parent] != nil, collectsLines(batch: parent) {
      if openBatches[parent]!.lines.count < Self.maximumBatchLines {
        openBatches[parent]!.lines.append(message)
      }
      return
    }
    if let label = batch.label, pendingLabels.removeValue(forKey: label) != nil {
      out.append(.labelAnswered(label: label, accepted: true, reason: ""))
    }
    dispatch(message, command: message.uppercasedCommand, now: now, &out)
  }

  /// The one `PRIVMSG` (or `NOTICE`) a multiline batch stands for: the opening line's tags
  /// (without its `batch` tag, which names the batch around it) and source, the batch's
  /// target, and the lines' text joined. Nil for a batch without lines.
  static func combinedMessage(of batch: OpenBatch) -> IRCMessage? {
    guard let first = batch.lines.first, let target = batch.params.first else { return nil }
    var text = ""
    for (index, line) in batch.lines.enumerated() {
      let continues = line.tag("draft/multiline-concat") != nil
      if index > 0 && !continues { text += "\n" }
      text += line.params.count > 1 ? line.params[1] : ""
    }
    if batch.isCut { text += multilineCutMark }
    return IRCMessage(
      tags: batch.opening.tags.filter { $0.key != "batch" },
      source: batch.opening.source ?? first.source, command: first.command,
      params: [target, text])
  }
}
