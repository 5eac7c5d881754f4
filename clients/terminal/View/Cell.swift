/// One cell of the screen.
///
/// A wide character (2 cells) sits in its left cell; the right cell is a continuation cell
/// (`isContinuation`), which the ncurses glue skips because the terminal fills it itself.
public struct Cell: Hashable, Sendable {
  /// The grapheme cluster drawn in this cell; a space for blank and continuation cells.
  public var character: Character
  /// How the cell is drawn.
  public var style: TextStyle
  /// Whether this is the right half of the wide character in the cell to its left.
  public var isContinuation: Bool

  /// Creates a cell.
  public init(character: Character, style: TextStyle = .plain, isContinuation: Bool = false) {
    self.character = character
    self.style = style
    self.isContinuation = isContinuation
  }

  /// A space in the plain style: what a cleared screen is made of.
  public static let blank = Cell(character: " ")
}
