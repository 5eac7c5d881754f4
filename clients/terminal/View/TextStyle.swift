/// How a run of text is drawn: attributes and colours.
///
/// A value type so that the grid can compare cells cheaply and the ncurses glue can turn each
/// distinct style into one attribute set and colour pair.
public struct TextStyle: Hashable, Sendable {
  /// Bold (mIRC `\u{02}`).
  public var bold: Bool
  /// Italic (mIRC `\u{1D}`).
  public var italic: Bool
  /// Underline (mIRC `\u{1F}`).
  public var underline: Bool
  /// Foreground and background swapped (mIRC `\u{16}`).
  public var reverse: Bool
  /// Dimmed; never set by server text, used by the client for its own chrome (timestamps,
  /// joins and parts).
  public var dim: Bool
  /// Struck through (mIRC `\u{1E}`); terminals without the attribute may ignore it.
  public var strikethrough: Bool
  /// Foreground colour, or `nil` for the terminal's default.
  public var foreground: TerminalColor?
  /// Background colour, or `nil` for the terminal's default.
  public var background: TerminalColor?

  /// Creates a style; every attribute is off and both colours are the default unless given.
  public init(
    bold: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false,
    dim: Bool = false, strikethrough: Bool = false, foreground: TerminalColor? = nil,
    background: TerminalColor? = nil
  ) {
    self.bold = bold
    self.italic = italic
    self.underline = underline
    self.reverse = reverse
    self.dim = dim
    self.strikethrough = strikethrough
    self.foreground = foreground
    self.background = background
  }

  /// No attributes, default colours: what a blank cell and unformatted text use.
  public static let plain = TextStyle()
}
