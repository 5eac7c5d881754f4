import LyceumClient
import LyceumTerminalView

/// The full-screen client without the terminal: keys and server lines in, lines to send out,
/// and a layout to draw. The ncurses glue feeds it; the tests drive it the same way and read
/// the screen from its layout.
public struct ChatController: Sendable {
  public var session: IRCSession
  public var view = ViewState()
  /// The user asked to quit (`/quit`, Ctrl-C).
  public private(set) var wantsToQuit = false
  /// Lines of a long paste waiting for the user's y/n.
  var pendingPaste: [String] = []
  /// The size of the terminal, for page scrolling.
  public var screenHeight = 24
  public var screenWidth = 80

  /// More lines than this in one paste ask first.
  public static let pasteConfirmationThreshold = 2

  public init(session: IRCSession) {
    self.session = session
  }

  /// Handles a burst of keys read together. A carriage return followed by more keys in the
  /// same burst is a pasted newline, not Enter: the lines are kept together and, past the
  /// threshold, sent only after the user answers the question.
  public mutating func handle(keys: [Key], now: Int64) -> [SessionEvent] {
    var out: [SessionEvent] = []
    for (index, key) in keys.enumerated() {
      if view.question != nil {
        out += answer(key, now: now)
        continue
      }
      if key == .enter, index < keys.count - 1 {
        view.editor.insert("\n")
        continue
      }
      out += perform(KeyBindings.action(for: key), now: now)
    }
    return out
  }

  /// A server line.
  public mutating func handle(line: String, now: Int64) -> [SessionEvent] {
    defer { followFocus() }
    return session.receive(line: line, now: now)
  }

  /// Scrolls to the message the session asks for (a `/goto` result): it becomes the bottom
  /// line of the pane, so it is in view with what led up to it above.
  mutating func followFocus() {
    guard let focus = session.takeFocus(),
      let line = session.buffers[focus.key]?.line(msgid: focus.msgid)
    else { return }
    view.anchors[focus.key] = ScrollAnchor(line, hiddenRows: 0)
  }

  public mutating func perform(_ action: KeyAction, now: Int64) -> [SessionEvent] {
    let key = session.buffers.activeKey
    switch action {
    case .insert(let character): view.editor.insert(String(character))
    case .submit: return submit(now: now)
    case .complete(let backward):
      view.editor.complete(using: completionContext(), backward: backward)
    case .backspace: view.editor.backspace()
    case .deleteForward: view.editor.deleteForward()
    case .left: view.editor.moveLeft()
    case .right: view.editor.moveRight()
    case .wordLeft: view.editor.moveWordLeft()
    case .wordRight: view.editor.moveWordRight()
    case .home: view.editor.home()
    case .end: view.editor.end()
    case .killWord: view.editor.killWordBackward()
    case .killToStart: view.editor.killToStart()
    case .killToEnd: view.editor.killToEnd()
    case .yank: view.editor.yank()
    case .historyPrevious: view.editor.historyPrevious()
    case .historyNext: view.editor.historyNext()
    case .pageUp:
      return scroll(by: pageStep)
    case .pageDown:
      _ = scroll(by: -pageStep)
    case .nextBuffer: return session.activate(session.buffers.key(offsetFromActive: 1))
    case .previousBuffer: return session.activate(session.buffers.key(offsetFromActive: -1))
    case .buffer(let number):
      let order = session.buffers.order
      if number >= 1, number <= order.count { return session.activate(order[number - 1]) }
    case .nextUnread:
      if let next = session.buffers.nextKey(where: { $0.unreadCount > 0 }) {
        return session.activate(next)
      }
    case .nextHighlight:
      if let next = session.buffers.nextKey(where: { $0.highlightCount > 0 }) {
        return session.activate(next)
      }
    case .closeThread:
      if key.root != nil {
        let room = session.buffers.active.name
        session.buffers.remove(key)
        return session.activate(BufferKey(target: room))
      }
    case .quit:
      wantsToQuit = true
      return [.send("QUIT :lyceum")]
    case .redraw, .none: break
    }
    return []
  }

  /// Enter: a command, a message, or a paste of several lines (asked first when long).
  mutating func submit(now: Int64) -> [SessionEvent] {
    let lines = view.editor.lines
    if lines.count >= Self.pasteConfirmationThreshold {
      pendingPaste = lines
      view.question = "Send \(lines.count) lines to \(session.buffers.active.name)? (y/n)"
      return []
    }
    _ = view.editor.submit()
    view.anchors[session.buffers.activeKey] = nil
    // The one non-empty line (blank lines around it are dropped, never sent as line breaks).
    guard let text = lines.first, !text.isEmpty else { return [] }
    let word = text.split(separator: " ").first.map(String.init)?.lowercased()
    if word == "/quit" || word == "/exit" { wantsToQuit = true }
    if word == "/clear" { view.anchors[session.buffers.activeKey] = nil }
    defer { followFocus() }
    return session.input(text, now: now)
  }

  mutating func answer(_ key: Key, now: Int64) -> [SessionEvent] {
    view.question = nil
    let lines = pendingPaste
    pendingPaste = []
    guard key == .character("y") || key == .character("Y") else { return [] }
    _ = view.editor.submit()
    return session.paste(lines, now: now)
  }

  /// Half the message pane, as senpai pages.
  var pageStep: Int { max(1, (screenHeight - 3) / 2) }

  /// Moves the view `rows` up (or down, negative); reaching the oldest line held asks the
  /// server for the page before it.
  mutating func scroll(by rows: Int) -> [SessionEvent] {
    let key = session.buffers.activeKey
    let move = ChatScreenLayout.moved(
      view.anchors[key], by: rows, session: session, view: view,
      width: ChatScreenLayout.paneWidth(forScreenWidth: screenWidth),
      paneHeight: max(1, screenHeight - 3))
    view.anchors[key] = move.anchor
    return move.atTop ? session.requestOlderHistory() : []
  }

  /// Nicks (recent speakers first), rooms and commands for Tab.
  func completionContext() -> CompletionContext {
    let buffer = session.buffers.active
    var nicks = buffer.recentSpeakers
    let others = buffer.members.values.map(\.nick).filter { !nicks.contains($0) }.sorted()
    nicks += others
    let rooms = session.buffers.ordered.filter { $0.kind == .channel }.map(\.name)
    return CompletionContext(nicks: nicks, rooms: rooms, commands: UserCommand.names)
  }

  /// The screen for a terminal of this size.
  public func render(width: Int, height: Int) -> ChatScreenLayout {
    ChatScreenLayout(session: session, view: view, width: width, height: height)
  }
}
