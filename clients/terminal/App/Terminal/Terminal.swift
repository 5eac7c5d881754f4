import CNcursesw
import Glibc
import LyceumTerminalScreen
import LyceumTerminalView

/// The real terminal, through ncursesw: it starts and restores the screen, copies a `CellGrid`
/// to it (ncurses sends only what changed), and reads keys. Used from the main queue only.
final class Terminal {
  private var colorPairs: [Int: Int16] = [:]
  private var nextPair: Int16 = 1
  private(set) var isActive = false
  private var hasColors = false

  var width: Int { Int(lyc_cols()) }
  var height: Int { Int(lyc_lines()) }

  /// Takes over the terminal: raw keys (Ctrl-C, Ctrl-W … reach us), no echo, keypad decoding.
  func start() {
    setlocale(LC_ALL, "")
    initscr()
    raw()
    noecho()
    nonl()
    keypad(lyc_stdscr(), true)
    nodelay(lyc_stdscr(), true)
    set_escdelay(25)
    if has_colors() {
      start_color()
      use_default_colors()
      hasColors = true
    }
    isActive = true
    TerminalRestorer.install()
  }

  /// Rings the terminal's bell (a mention arrived).
  func bell() { _ = beep() }

  /// Gives the terminal back as it was. Safe to call twice.
  func stop() {
    guard isActive else { return }
    isActive = false
    endwin()
  }

  /// Follows a new size from the kernel (after SIGWINCH).
  func resize() {
    var rows: Int32 = 0
    var columns: Int32 = 0
    if lyc_terminal_size(&rows, &columns) == 0, rows > 0, columns > 0 {
      resizeterm(rows, columns)
    }
  }

  /// Draws the layout and puts the cursor on the input line.
  func draw(_ layout: ChatScreenLayout) {
    let grid = layout.grid
    erase()
    for row in 0..<min(grid.height, height) {
      for column in 0..<min(grid.width, width) {
        let cell = grid[row, column]
        if cell.isContinuation { continue }
        put(cell, row: row, column: column)
      }
    }
    move(Int32(layout.cursorRow), Int32(layout.cursorColumn))
    refresh()
  }

  private func put(_ cell: Cell, row: Int, column: Int) {
    var characters: [wchar_t] = cell.character.unicodeScalars.prefix(4).map {
      wchar_t(bitPattern: $0.value)
    }
    characters.append(0)
    var attributes: attr_t = 0
    let style = cell.style
    if style.bold { attributes |= attr_t(lyc_a_bold()) }
    if style.reverse { attributes |= attr_t(lyc_a_reverse()) }
    if style.underline { attributes |= attr_t(lyc_a_underline()) }
    if style.dim { attributes |= attr_t(lyc_a_dim()) }
    if style.italic { attributes |= attr_t(lyc_a_italic()) }
    let pair = colorPair(foreground: style.foreground?.index, background: style.background?.index)
    var complex = cchar_t()
    characters.withUnsafeBufferPointer { buffer in
      _ = setcchar(&complex, buffer.baseAddress, attributes, pair, nil)
    }
    _ = mvadd_wch(Int32(row), Int32(column), &complex)
  }

  /// A colour pair for (foreground, background), made on first use; -1 is the default.
  private func colorPair(foreground: Int?, background: Int?) -> Int16 {
    guard hasColors, foreground != nil || background != nil else { return 0 }
    let limit = Int(lyc_colors())
    let fg = foreground.map { $0 < limit ? Int16($0) : -1 } ?? -1
    let bg = background.map { $0 < limit ? Int16($0) : -1 } ?? -1
    let key = Int(fg) * 1000 + Int(bg)
    if let pair = colorPairs[key] { return pair }
    guard Int32(nextPair) < lyc_color_pairs() else { return 0 }
    init_pair(nextPair, fg, bg)
    colorPairs[key] = nextPair
    nextPair += 1
    return nextPair - 1
  }

  /// Every key waiting now, decoded (empty when none).
  func readKeys() -> [Key] {
    var keys: [Key] = []
    var pendingEscape = false
    while true {
      var value: wint_t = 0
      let result = wget_wch(lyc_stdscr(), &value)
      if result == ERR { break }
      let key: Key?
      if result == lyc_key_code_yes() {
        key = Self.functionKey(Int32(value))
      } else {
        key = Self.characterKey(UInt32(value))
      }
      guard let key else { continue }
      if key == .escape {
        if pendingEscape { keys.append(.escape) }
        pendingEscape = true
        continue
      }
      if pendingEscape, case .character(let character) = key {
        keys.append(.alt(character))
      } else {
        if pendingEscape { keys.append(.escape) }
        keys.append(key)
      }
      pendingEscape = false
    }
    if pendingEscape { keys.append(.escape) }
    return keys
  }

  static func characterKey(_ value: UInt32) -> Key? {
    switch value {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26:
      return .ctrl(Character(UnicodeScalar(UInt8(value) + 96)))
    default:
      guard let scalar = UnicodeScalar(value) else { return nil }
      return .character(Character(scalar))
    }
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_PPAGE: return .pageUp
    case KEY_NPAGE: return .pageDown
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_ENTER: return .enter
    case KEY_BTAB: return .backTab
    case 0x222: return .ctrlLeft  // kLFT5 in xterm's terminfo
    case 0x231: return .ctrlRight  // kRIT5
    default: return nil
    }
  }
}
