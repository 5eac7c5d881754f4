/// A colour of the terminal's 256-colour palette (xterm numbering), by index.
///
/// The view speaks in palette indices because that is what ncurses `init_pair` takes; the
/// terminal's own default colour is not an index and is modelled as `nil` wherever a colour is
/// optional (see `TextStyle`).
public struct TerminalColor: Hashable, Sendable {
  /// The palette index, 0 through 255.
  public let index: Int

  /// Creates the colour with palette index `index` (0 through 255).
  public init(_ index: UInt8) {
    self.index = Int(index)
  }

  /// Creates the colour with palette index `index`, or `nil` outside 0 through 255.
  public init?(index: Int) {
    guard (0...255).contains(index) else { return nil }
    self.index = index
  }

  /// ANSI black, palette index 0.
  public static let black = TerminalColor(0)
  /// ANSI red (dark), palette index 1.
  public static let red = TerminalColor(1)
  /// ANSI green (dark), palette index 2.
  public static let green = TerminalColor(2)
  /// ANSI yellow (dark, often drawn brown or olive), palette index 3.
  public static let yellow = TerminalColor(3)
  /// ANSI blue (dark), palette index 4.
  public static let blue = TerminalColor(4)
  /// ANSI magenta (dark), palette index 5.
  public static let magenta = TerminalColor(5)
  /// ANSI cyan (dark), palette index 6.
  public static let cyan = TerminalColor(6)
  /// ANSI white (light grey), palette index 7.
  public static let white = TerminalColor(7)
  /// ANSI bright black (dark grey), palette index 8.
  public static let brightBlack = TerminalColor(8)
  /// ANSI bright white, palette index 15.
  public static let brightWhite = TerminalColor(15)

  /// The palette colour for mIRC colour number `code`, or `nil` for 99 ("default") and for
  /// numbers outside 0 through 98.
  ///
  /// 0-15 map onto the 16 ANSI colours (what senpai, WeeChat and irssi do, so that the user's
  /// terminal theme applies); 16-98 map onto the xterm-256 table of
  /// <https://modern.ircdocs.horse/formatting#colors-16-98>.
  public static func mirc(_ code: Int) -> TerminalColor? {
    guard (0..<mircPalette.count).contains(code) else { return nil }
    return TerminalColor(mircPalette[code])
  }
}

/// mIRC colour number to xterm-256 palette index, for 0 through 98.
private let mircPalette: [UInt8] = [
  // 0 white, 1 black, 2 blue, 3 green, 4 red, 5 brown, 6 magenta, 7 orange,
  15, 0, 4, 2, 9, 1, 5, 3,
  // 8 yellow, 9 light green, 10 cyan, 11 light cyan, 12 light blue, 13 pink, 14 grey, 15 light grey
  11, 10, 6, 14, 12, 13, 8, 7,
  // 16-98, the extended colours.
  52, 94, 100, 58, 22, 29, 23, 24, 17, 54, 53, 89,
  88, 130, 142, 64, 28, 35, 30, 25, 18, 91, 90, 125,
  124, 166, 184, 106, 34, 49, 37, 33, 19, 129, 127, 161,
  196, 208, 226, 154, 46, 86, 51, 75, 21, 171, 201, 198,
  203, 215, 227, 191, 83, 122, 87, 111, 63, 177, 207, 205,
  217, 223, 229, 193, 157, 158, 159, 153, 147, 183, 219, 212,
  16, 233, 235, 237, 239, 241, 244, 247, 250, 254, 231,
]
