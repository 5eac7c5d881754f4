import LyceumTerminalView
import Testing

@Suite struct CellGridTests {
  @Test func newGridIsBlank() {
    let grid = CellGrid(width: 4, height: 2)
    #expect(grid.lines == ["", ""])
    #expect(grid[0, 0] == .blank)
    #expect(grid.cells(inRow: 1).count == 4)
  }

  @Test func drawsNarrowText() {
    var grid = CellGrid(width: 10, height: 2)
    let used = grid.draw(StyledText(plain: "hello"), row: 1, column: 2, maxWidth: 10)
    #expect(used == 5)
    #expect(grid.lines == ["", "  hello"])
    #expect(grid[1, 2].character == "h")
  }

  @Test func wideCharactersTakeTwoCells() {
    var grid = CellGrid(width: 8, height: 1)
    let used = grid.draw(StyledText(plain: "日本語"), row: 0, column: 0, maxWidth: 8)
    #expect(used == 6)
    #expect(grid.rowText(0) == "日本語")
    #expect(grid[0, 0] == Cell(character: "日"))
    #expect(grid[0, 1].isContinuation)
    #expect(grid[0, 2].character == "本")
    #expect(!grid[0, 2].isContinuation)
    #expect(grid[0, 5].isContinuation)
  }

  @Test func clustersTakeOneCellEach() {
    var grid = CellGrid(width: 10, height: 1)
    let used = grid.draw(StyledText(plain: "e\u{301}👩‍🔬🇪🇸x"), row: 0, column: 0, maxWidth: 10)
    #expect(used == 6)
    #expect(grid[0, 0].character == "e\u{301}")
    #expect(grid[0, 1].character == "👩‍🔬")
    #expect(grid[0, 3].character == "🇪🇸")
    #expect(grid[0, 5].character == "x")
    #expect(grid.rowText(0) == "e\u{301}👩‍🔬🇪🇸x")
  }

  @Test func wideCharacterThatDoesNotFitIsNotDrawnHalf() {
    var grid = CellGrid(width: 5, height: 1)
    let used = grid.draw(StyledText(plain: "ab日本"), row: 0, column: 0, maxWidth: 5)
    #expect(used == 4)
    #expect(grid.rowText(0) == "ab日")
    #expect(grid[0, 4] == .blank)
  }

  @Test func maxWidthLimitsAndBlanksTheLeftoverCell() {
    var grid = CellGrid(width: 10, height: 1)
    grid.draw(StyledText(plain: "xxxxxxxxxx"), row: 0, column: 0, maxWidth: 10)
    let used = grid.draw(StyledText(plain: "日本"), row: 0, column: 0, maxWidth: 3)
    #expect(used == 2)
    #expect(grid.rowText(0) == "日 xxxxxxx")
  }

  @Test func clippedAtRightEdge() {
    var grid = CellGrid(width: 4, height: 1)
    let used = grid.draw(StyledText(plain: "abcdef"), row: 0, column: 2, maxWidth: 100)
    #expect(used == 2)
    #expect(grid.rowText(0) == "  ab")
  }

  @Test func outOfBoundsDrawingIsIgnored() {
    var grid = CellGrid(width: 4, height: 2)
    #expect(grid.draw(StyledText(plain: "a"), row: 2, column: 0, maxWidth: 4) == 0)
    #expect(grid.draw(StyledText(plain: "a"), row: -1, column: 0, maxWidth: 4) == 0)
    #expect(grid.draw(StyledText(plain: "a"), row: 0, column: 4, maxWidth: 4) == 0)
    #expect(grid.draw(StyledText(plain: "a"), row: 0, column: 0, maxWidth: 0) == 0)
    #expect(grid.lines == ["", ""])
    #expect(grid[5, 5] == .blank)
    #expect(grid[-1, 0] == .blank)
    #expect(grid.rowText(9) == "")
  }

  @Test func negativeColumnClipsAtLeftEdge() {
    var grid = CellGrid(width: 4, height: 1)
    grid.draw(StyledText(plain: "abcdef"), row: 0, column: -2, maxWidth: 6)
    #expect(grid.rowText(0) == "cdef")
    grid.clear()
    grid.draw(StyledText(plain: "日本語"), row: 0, column: -1, maxWidth: 6)
    // 日 is cut by the edge: its right half is blanked, not drawn.
    #expect(grid[0, 0] == .blank)
    // 語 would straddle the right edge: its cell stays blank.
    #expect(grid.rowText(0) == " 本")
    #expect(grid[0, 3] == .blank)
  }

  @Test func zeroWidthClustersAreSkipped() {
    var grid = CellGrid(width: 6, height: 1)
    let used = grid.draw(StyledText(plain: "a\u{200B}\u{7}b"), row: 0, column: 0, maxWidth: 6)
    #expect(used == 2)
    #expect(grid.rowText(0) == "ab")
  }

  @Test func widthOneGridNeverHoldsAWideCharacter() {
    var grid = CellGrid(width: 1, height: 1)
    #expect(grid.draw(StyledText(plain: "日"), row: 0, column: 0, maxWidth: 1) == 0)
    #expect(grid[0, 0] == .blank)
    #expect(grid.draw(StyledText(plain: "a日"), row: 0, column: 0, maxWidth: 1) == 1)
    #expect(grid.rowText(0) == "a")
  }

  @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
    var grid = CellGrid(width: 6, height: 1)
    grid.draw(StyledText(plain: "日本語"), row: 0, column: 0, maxWidth: 6)
    grid.draw(StyledText(plain: "x"), row: 0, column: 1, maxWidth: 1)
    #expect(grid[0, 0] == .blank)
    #expect(grid[0, 1] == Cell(character: "x"))
    #expect(grid.rowText(0) == " x本語")
    grid.draw(StyledText(plain: "y"), row: 0, column: 2, maxWidth: 1)
    #expect(grid[0, 3] == .blank)
    #expect(grid.rowText(0) == " xy 語")
    // A wide character drawn over the seam of two others blanks both outer halves.
    grid.draw(StyledText(plain: "日本語"), row: 0, column: 0, maxWidth: 6)
    grid.draw(StyledText(plain: "字"), row: 0, column: 1, maxWidth: 2)
    #expect(grid.rowText(0) == " 字 語")
    #expect(grid[0, 2].isContinuation)
    #expect(!grid[0, 3].isContinuation)
  }

  @Test func fillAndStyle() {
    var grid = CellGrid(width: 5, height: 2)
    let bar = TextStyle(reverse: true)
    grid.fill(row: 1, from: -3, to: 99, style: bar)
    for column in 0..<5 { #expect(grid[1, column] == Cell(character: " ", style: bar)) }
    grid.draw(StyledText(plain: "ok", style: bar), row: 1, column: 1, maxWidth: 4)
    #expect(grid[1, 1] == Cell(character: "o", style: bar))
    grid.fill(row: 0, from: 3, to: 2)
    grid.fill(row: 7, from: 0, to: 5)
    #expect(grid.rowText(1) == " ok")
  }

  @Test func fillBreakingAWideCharacterBlanksItsOtherHalf() {
    var grid = CellGrid(width: 4, height: 1)
    grid.draw(StyledText(plain: "日本"), row: 0, column: 0, maxWidth: 4)
    grid.fill(row: 0, from: 1, to: 3)
    #expect(grid.rowText(0) == "")
    #expect(!grid[0, 3].isContinuation)
  }

  @Test func stylesFollowSpans() {
    var grid = CellGrid(width: 6, height: 1)
    let bold = TextStyle(bold: true)
    let text = TextSanitizer.parse("a\u{02}日\u{02}b")
    grid.draw(text, row: 0, column: 0, maxWidth: 6)
    #expect(grid[0, 0].style == .plain)
    #expect(grid[0, 1] == Cell(character: "日", style: bold))
    #expect(grid[0, 2] == Cell(character: " ", style: bold, isContinuation: true))
    #expect(grid[0, 3].style == .plain)
  }

  @Test func clearBlanksEverything() {
    var grid = CellGrid(width: 3, height: 2)
    grid.draw(StyledText(plain: "abc"), row: 0, column: 0, maxWidth: 3)
    grid.draw(StyledText(plain: "日"), row: 1, column: 0, maxWidth: 3)
    grid.clear()
    #expect(grid == CellGrid(width: 3, height: 2))
  }

  @Test func degenerateSizes() {
    var grid = CellGrid(width: -1, height: 0)
    #expect(grid.width == 0)
    #expect(grid.lines.isEmpty)
    #expect(grid.draw(StyledText(plain: "a"), row: 0, column: 0, maxWidth: 1) == 0)
  }

  @Test func rowTextTrimsOnlyTrailingSpaces() {
    var grid = CellGrid(width: 8, height: 1)
    grid.draw(StyledText(plain: " a b "), row: 0, column: 0, maxWidth: 8)
    #expect(grid.rowText(0) == " a b")
  }
}
