import LyceumClient
import LyceumTerminalView

extension ChatScreenLayout {
  /// Whether the pane shows a line: in a room, replies are folded into their root (which
  /// shows the reply count); in a thread view, everything is shown.
  static func isShown(_ line: BufferLine, in buffer: ChatBuffer) -> Bool {
    if case .thread = buffer.kind { return true }
    // A reply is folded only under a root the room shows; one whose root is not here (older
    // than what was fetched, or a msgid the server did not know) is shown, marked as a reply.
    guard let root = line.threadRoot else { return true }
    return !buffer.contains(msgid: root)
  }

  /// Fills the pane from the bottom up, starting at the anchor line (or the newest), wrapping
  /// only the lines that can be seen: a buffer of 10 000 lines costs what one screen costs,
  /// wherever it is scrolled to.
  mutating func drawMessages(_ session: IRCSession, view: ViewState, in pane: PaneFrame) {
    let buffer = session.buffers.active
    let anchor = view.anchors[session.buffers.activeKey]
    var start = anchor?.index(in: buffer.lines) ?? Self.lastShown(in: buffer)
    if let index = start, !Self.isShown(buffer.lines[index], in: buffer) {
      start = Self.previousShown(index, in: buffer) ?? Self.lastShown(in: buffer)
    }
    var hidden = anchor?.hiddenRows ?? 0
    var rows: [StyledText] = []  // newest first
    var index = start
    while let current = index, rows.count < pane.height + hidden {
      let previous = Self.previousShown(current, in: buffer)
      let block = block(
        at: current, previous: previous, in: buffer, session: session, view: view,
        width: pane.width)
      rows.append(contentsOf: block.reversed())
      index = previous
    }
    if index == nil {
      reachedTop = true
      if buffer.history.reachedStart && buffer.kind != .server {
        rows.append(StyledText(plain: "— start of history —", style: TextStyle(dim: true)))
      }
      // At the top with room to spare: show what is below the anchor instead of a gap.
      hidden = min(hidden, max(0, rows.count - pane.height))
    }
    let shown = rows.dropFirst(hidden).prefix(pane.height).reversed()
    var row = pane.top + pane.height - shown.count
    for text in shown {
      grid.draw(text, row: row, column: pane.left, maxWidth: pane.width)
      row += 1
    }
  }

  func daySeparator(_ time: Int64, view: ViewState, width: Int) -> StyledText {
    let label = " \(TimestampFormat.dayLabel(ms: time, offset: view.utcOffset)) "
    let side = max(0, (width - label.count) / 2)
    let rule = String(repeating: "─", count: side)
    return StyledText(plain: rule + label + rule, style: TextStyle(dim: true))
  }

  /// One line as rows: `HH:MM  nick │ text`, wrapped under the text column.
  func render(
    _ line: BufferLine, previous: BufferLine?, buffer: ChatBuffer, session: IRCSession,
    view: ViewState, width: Int
  ) -> [StyledText] {
    let time = TimestampFormat.hourMinute(ms: line.time, offset: view.utcOffset)
    var text = StyledText(plain: time + " ", style: TextStyle(dim: true))
    let nickWidth = width < 50 ? 8 : LayoutMetrics.nickColumn
    let textColumn = LayoutMetrics.timeColumn + nickWidth + 1
    switch line.kind {
    case .message, .notice, .action:
      let nickStyle = TextStyle(
        bold: line.isSelf,
        foreground: TerminalColor(index: NickColor.index(for: line.sender, paletteSize: 16)))
      var nick = line.kind == .action ? "* \(line.sender)" : line.sender
      if line.kind == .notice { nick = "-\(line.sender)-" }
      if DisplayWidth.of(nick) > nickWidth { nick = String(nick.prefix(nickWidth - 1)) + "…" }
      let pad = String(repeating: " ", count: max(0, nickWidth - DisplayWidth.of(nick)))
      text += StyledText(plain: pad) + StyledText(plain: nick, style: nickStyle)
      text += StyledText(plain: " ")
      if line.isBot { text += StyledText(plain: "[bot] ", style: TextStyle(dim: true)) }
      if line.threadRoot != nil, !isThreadView(buffer) {
        text += StyledText(plain: "↳ ", style: TextStyle(foreground: .cyan))
      }
      if previous?.sender != line.sender,
        let profile = session.profiles[IRCSession.fold(line.sender)]
      {
        text += StyledText(plain: "(\(profile)) ", style: TextStyle(dim: true))
      }
      let base =
        line.isRedacted
        ? TextStyle(dim: true) : line.isHighlight ? TextStyle(foreground: .red) : TextStyle.plain
      // A multiline message: its first line here, the others each on rows of their own under
      // the text column; what follows the message (reply count) goes after its last line.
      let paragraphs = line.text.split(separator: "\n", omittingEmptySubsequences: false)
      var last = TextSanitizer.parse(String(paragraphs.last ?? ""), base: base)
      last += suffix(of: line, in: buffer, session: session)
      guard paragraphs.count > 1 else {
        text += last
        break
      }
      let indent = min(textColumn, width / 2)
      text += TextSanitizer.parse(String(paragraphs[0]), base: base)
      var rows = LineWrapper.wrap(text, width: width, continuationIndent: indent)
      let rest = paragraphs.dropFirst().dropLast().map {
        TextSanitizer.parse(String($0), base: base)
      }
      for paragraph in rest + [last] {
        for row in LineWrapper.wrap(paragraph, width: max(1, width - indent)) {
          rows.append(StyledText(plain: String(repeating: " ", count: indent)) + row)
        }
      }
      return rows
    case .error:
      text += StyledText(
        plain: String(repeating: " ", count: nickWidth - 2) + "!! ",
        style: TextStyle(foreground: .red))
      text += StyledText(plain: TextSanitizer.plain(line.text), style: TextStyle(foreground: .red))
    default:
      text += StyledText(
        plain: String(repeating: " ", count: nickWidth - 2) + "-- ", style: TextStyle(dim: true))
      text += StyledText(plain: TextSanitizer.plain(line.text), style: TextStyle(dim: true))
    }
    return LineWrapper.wrap(text, width: width, continuationIndent: min(textColumn, width / 2))
  }

  /// What follows a message's text: its reactions (`👍 2`) and the reply count of the thread
  /// it starts.
  func suffix(of line: BufferLine, in buffer: ChatBuffer, session: IRCSession) -> StyledText {
    var text = StyledText(plain: "")
    // Reactions are counted in the room (or conversation); a thread view shows the room's.
    if buffer.kind != .server, buffer.kind != .search, let id = line.msgid,
      let tally = session.buffers[BufferKey(target: buffer.name)]?.reactions[id]
    {
      for entry in tally.entries {
        text += StyledText(plain: "  " + TextSanitizer.plain(entry.emoji))
        text += StyledText(plain: " \(entry.senders.count)", style: TextStyle(dim: true))
      }
    }
    if buffer.kind != .server, let id = line.msgid, let thread = buffer.threads[id],
      thread.replyCount > 0, !isThreadView(buffer)
    {
      let label = thread.replyCount == 1 ? "1 reply" : "\(thread.replyCount) replies"
      text += StyledText(
        plain: "  [\(label) · /thread]", style: TextStyle(bold: true, foreground: .cyan))
    }
    return text
  }

  func isThreadView(_ buffer: ChatBuffer) -> Bool {
    if case .thread = buffer.kind { return true }
    return false
  }
}
