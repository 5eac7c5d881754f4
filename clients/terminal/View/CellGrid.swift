/// An in-memory screen of `width` × `height` cells.
///
/// The view renders into a grid; tests assert against it and the ncurses glue copies it to the
/// real screen. The grid keeps wide characters whole: a wide character occupies its cell and a
/// continuation cell to its right; overwriting either half blanks the other; a wide character
/// that does not fit in the space left is not drawn half (its cell is left blank). Zero-width
/// clusters (see `DisplayWidth`) take no cell and are skipped, so nothing that reaches the
/// terminal through the grid is a control character. All drawing is clipped to the grid.
public struct CellGrid: Hashable, Sendable {
  /// Columns.
  public let width: Int
  /// Rows.
  public let height: Int
  /// Row-major cells.
  private var cells: [Cell]

  /// Creates a blank grid; negative sizes count as 0.
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The cell at `row`, `column`; a blank cell outside the grid.
  public subscript(row: Int, column: Int) -> Cell {
    guard contains(row: row, column: column) else { return .blank }
    return cells[row * width + column]
  }

  /// The cells of `row`, left to right; empty outside the grid.
  public func cells(inRow row: Int) -> ArraySlice<Cell> {
    guard (0..<height).contains(row) else { return [] }
    return cells[(row * width)..<(row * width + width)]
  }

  /// Draws `text` on `row` from `column`, in at most `maxWidth` columns (and never past the
  /// grid's right edge), and returns the columns used.
  ///
  /// Drawing stops at the first character that does not fit; if that character is wide and one
  /// column was left, that column is blanked rather than given half a character.
  @discardableResult
  public mutating func draw(_ text: StyledText, row: Int, column: Int, maxWidth: Int) -> Int {
    guard (0..<height).contains(row), maxWidth > 0, column < width else { return 0 }
    let limit = min(width, column + maxWidth)
    var position = column
    for span in text.spans {
      for character in span.text {
        let cellWidth = DisplayWidth.of(character)
        if cellWidth == 0 { continue }
        if position + cellWidth > limit {
          if position >= 0, position < limit { put(.blank, row: row, column: position) }
          return max(0, position - column)
        }
        if position >= 0 {
          put(Cell(character: character, style: span.style), row: row, column: position)
          if cellWidth == 2 {
            put(
              Cell(character: " ", style: span.style, isContinuation: true), row: row,
              column: position + 1)
          }
        } else if position + cellWidth > 0 {
          // A wide character cut by the left edge: its visible half is blanked.
          put(.blank, row: row, column: 0)
        }
        position += cellWidth
      }
    }
    return max(0, position - column)
  }

  /// Fills the columns `from..<to` of `row` with spaces in `style` (clipped to the grid).
  public mutating func fill(row: Int, from: Int, to: Int, style: TextStyle = .plain) {
    guard (0..<height).contains(row) else { return }
    let start = max(0, from)
    let end = min(width, to)
    guard start < end else { return }
    for column in start..<end {
      put(Cell(character: " ", style: style), row: row, column: column)
    }
  }

  /// Blanks every cell.
  public mutating func clear() {
    for index in cells.indices { cells[index] = .blank }
  }

  /// The characters of `row` as a string: each wide character once, continuation cells skipped,
  /// trailing spaces trimmed. Empty outside the grid.
  public func rowText(_ row: Int) -> String {
    var text = ""
    for cell in cells(inRow: row) where !cell.isContinuation {
      text.append(cell.character)
    }
    while text.last == " " { text.removeLast() }
    return text
  }

  /// Every row as `rowText` gives it, top to bottom.
  public var lines: [String] {
    (0..<height).map(rowText)
  }

  private func contains(row: Int, column: Int) -> Bool {
    (0..<height).contains(row) && (0..<width).contains(column)
  }

  /// Stores `cell`, first blanking the other half of any wide character it breaks.
  private mutating func put(_ cell: Cell, row: Int, column: Int) {
    guard contains(row: row, column: column) else { return }
    let index = row * width + column
    let old = cells[index]
    if old.isContinuation, !cell.isContinuation, column > 0 {
      // Breaking the right half of a wide character: blank its left half.
      cells[index - 1] = Cell(character: " ", style: cells[index - 1].style)
    }
    if !old.isContinuation, column + 1 < width, cells[index + 1].isContinuation {
      // Replacing the left half of a wide character: blank its right half.
      cells[index + 1] = Cell(character: " ", style: cells[index + 1].style)
    }
    cells[index] = cell
  }
}
