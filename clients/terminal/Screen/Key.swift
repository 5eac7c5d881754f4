/// A key as the screen layer reports it, already decoded by ncurses (terminfo does the escape
/// sequences); `alt` is Escape followed by a key in the same burst.
public enum Key: Equatable, Sendable {
  case character(Character)
  /// Ctrl and a letter (`ctrl("a")` is Ctrl-A).
  case ctrl(Character)
  case alt(Character)
  case enter
  case tab
  case backTab
  case backspace
  case delete
  case escape
  case up
  case down
  case left
  case right
  case ctrlLeft
  case ctrlRight
  case home
  case end
  case pageUp
  case pageDown
}

/// What a key does. Bindings follow senpai and WeeChat where they agree.
public enum KeyAction: Equatable, Sendable {
  case insert(Character)
  case submit
  case complete(backward: Bool)
  case backspace, deleteForward
  case left, right, wordLeft, wordRight, home, end
  case killWord, killToStart, killToEnd, yank
  case historyPrevious, historyNext
  case pageUp, pageDown
  case nextBuffer, previousBuffer
  case buffer(Int)
  case nextUnread, nextHighlight
  case closeThread
  case redraw
  case quit
  case none
}

/// The key map (documented in clients/terminal/README.md).
public enum KeyBindings {
  public static func action(for key: Key) -> KeyAction {
    switch key {
    case .character(let character): return .insert(character)
    case .enter: return .submit
    case .tab: return .complete(backward: false)
    case .backTab: return .complete(backward: true)
    case .backspace, .ctrl("h"): return .backspace
    case .delete, .ctrl("d"): return .deleteForward
    case .left, .ctrl("b"): return .left
    case .right, .ctrl("f"): return .right
    case .ctrlLeft, .alt("b"): return .wordLeft
    case .ctrlRight, .alt("f"): return .wordRight
    case .home, .ctrl("a"): return .home
    case .end, .ctrl("e"): return .end
    case .ctrl("w"): return .killWord
    case .ctrl("u"): return .killToStart
    case .ctrl("k"): return .killToEnd
    case .ctrl("y"): return .yank
    case .up: return .historyPrevious
    case .down: return .historyNext
    case .pageUp: return .pageUp
    case .pageDown: return .pageDown
    case .ctrl("n"), .alt("n"): return .nextBuffer
    case .ctrl("p"), .alt("p"): return .previousBuffer
    case .alt(let digit) where digit.isWholeNumber:
      let number = digit.wholeNumberValue ?? 0
      return .buffer(number == 0 ? 10 : number)
    case .alt("a"), .alt("u"): return .nextUnread
    case .alt("h"): return .nextHighlight
    case .escape: return .closeThread
    case .ctrl("l"): return .redraw
    case .ctrl("c"): return .quit
    default: return .none
    }
  }
}
