import LyceumClient
import LyceumTerminalView

/// Draws the whole screen from the session's model into a `CellGrid`, with no terminal: the
/// topic line, the buffer list (with unread and highlight counts), the message pane (times,
/// day separators, nick colours, wrapped text, threads collapsed under their root), the status
/// line and the input line. The ncurses glue copies the grid to the terminal; tests read it.
public struct ChatScreenLayout {
  /// Where the terminal cursor goes (on the input line).
  public var cursorRow = 0
  public var cursorColumn = 0
  /// The message pane shows the oldest line of the buffer: time to fetch older history.
  public var reachedTop = false
  public var grid: CellGrid

  /// A layout that draws nothing, for measuring lines with `block(at:…)`.
  init() {
    grid = CellGrid(width: 1, height: 1)
  }

  public init(session: IRCSession, view: ViewState, width: Int, height: Int) {
    grid = CellGrid(width: max(1, width), height: max(1, height))
    guard width >= 10, height >= 4 else {
      grid.draw(StyledText(plain: "too small"), row: 0, column: 0, maxWidth: width)
      return
    }
    let showList = width >= LayoutMetrics.minimumWidthForList
    let listWidth = showList ? LayoutMetrics.bufferListWidth : 0
    drawTopic(session, width: width)
    if showList { drawBufferList(session, height: height - 2) }
    let pane = PaneFrame(
      top: 1, left: listWidth, width: width - listWidth, height: height - 3)
    drawMessages(session, view: view, in: pane)
    drawStatus(session, view: view, row: height - 2, width: width)
    drawInput(view, row: height - 1, width: width)
  }

  /// The rectangle of the message pane.
  struct PaneFrame {
    var top: Int
    var left: Int
    var width: Int
    var height: Int
  }

  mutating func drawTopic(_ session: IRCSession, width: Int) {
    let buffer = session.buffers.active
    let style = TextStyle(reverse: true)
    grid.fill(row: 0, from: 0, to: width, style: style)
    var title = StyledText(
      plain: " \(Self.title(of: buffer)) ", style: TextStyle(bold: true, reverse: true))
    if case .thread(let root) = buffer.kind {
      let summary = session.buffers[BufferKey(target: buffer.name)]?.threads[root]
      let replies =
        summary.map { " · \($0.replyCount) repl\($0.replyCount == 1 ? "y" : "ies")" } ?? ""
      title += StyledText(plain: "thread\(replies) — Esc or /close returns ", style: style)
    } else {
      // A registered room's kind and description, then the topic (as `LIST` shows them).
      if let about = buffer.roomDescription, !about.shown.isEmpty {
        title += StyledText(plain: TextSanitizer.plain(about.shown), style: style)
        if buffer.topic?.isEmpty == false { title += StyledText(plain: " — ", style: style) }
      }
      if let topic = buffer.topic, !topic.isEmpty {
        title += TextSanitizer.parse(topic, base: style)
      }
    }
    grid.draw(title, row: 0, column: 0, maxWidth: width)
  }

  /// How a buffer is named in the list and the topic line.
  static func title(of buffer: ChatBuffer) -> String {
    switch buffer.kind {
    case .server: return "server"
    case .thread: return "\(buffer.name) ↳"
    case .search: return "search"
    default: return buffer.name
    }
  }

  mutating func drawBufferList(_ session: IRCSession, height: Int) {
    let width = LayoutMetrics.bufferListWidth
    var row = 1
    for (index, key) in session.buffers.order.enumerated() {
      guard row < height, let buffer = session.buffers[key] else { break }
      let active = key == session.buffers.activeKey
      var style = TextStyle(reverse: active)
      // The buffer on screen is being read: no counts (they clear once its marker moves).
      let unread = active ? 0 : buffer.unreadCount
      let highlights = active ? 0 : buffer.highlightCount
      if highlights > 0 {
        style.bold = true
        style.foreground = .red
      } else if unread > 0 {
        style.bold = true
      } else if buffer.kind == .channel && !buffer.isJoined {
        style.dim = true
      }
      let number = index < 9 ? "\(index + 1)" : " "
      let counts =
        highlights > 0 ? " \(unread)!\(highlights)" : unread > 0 ? " \(unread)" : ""
      let name = Self.title(of: buffer)
      let room = width - 3 - DisplayWidth.of(counts)
      let shown = name.count > room ? String(name.prefix(max(1, room - 1))) + "…" : name
      grid.fill(row: row, from: 0, to: width - 1, style: TextStyle(reverse: active))
      grid.draw(
        StyledText(plain: "\(number) \(shown)\(counts)", style: style), row: row, column: 0,
        maxWidth: width - 1)
      row += 1
    }
    for line in 1..<height + 1 {
      grid.draw(
        StyledText(plain: "│", style: TextStyle(dim: true)), row: line, column: width - 1,
        maxWidth: 1)
    }
  }

  mutating func drawStatus(_ session: IRCSession, view: ViewState, row: Int, width: Int) {
    let style = TextStyle(reverse: true)
    grid.fill(row: row, from: 0, to: width, style: style)
    var parts = [session.nick]
    if let account = session.account { parts.append("account \(account)") }
    let buffer = session.buffers.active
    if buffer.kind == .channel { parts.append("\(buffer.members.count) members") }
    if buffer.history.isLoadingOlder || buffer.history.isFillingGap {
      parts.append("loading history…")
    }
    if view.anchors[session.buffers.activeKey] != nil { parts.append("scrolled (PgDn)") }
    let elsewhere = session.buffers.ordered.filter { $0.highlightCount > 0 }.count
    if elsewhere > 0 { parts.append("mentions in \(elsewhere) (Alt-H)") }
    if !view.connectionNote.isEmpty { parts.append(view.connectionNote) }
    grid.draw(
      StyledText(plain: " " + parts.joined(separator: " · "), style: style), row: row, column: 0,
      maxWidth: width)
  }

  mutating func drawInput(_ view: ViewState, row: Int, width: Int) {
    if let question = view.question {
      grid.draw(
        StyledText(plain: question, style: TextStyle(bold: true)), row: row, column: 0,
        maxWidth: width)
      cursorRow = row
      cursorColumn = min(width - 1, DisplayWidth.of(question))
      return
    }
    let prompt = "> "
    let slice = view.editor.visibleSlice(width: max(1, width - prompt.count))
    grid.draw(StyledText(plain: prompt + slice.text), row: row, column: 0, maxWidth: width)
    cursorRow = row
    cursorColumn = min(width - 1, prompt.count + slice.cursorColumn)
  }
}
