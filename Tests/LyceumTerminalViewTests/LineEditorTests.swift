import LyceumTerminalView
import Testing

@Suite struct LineEditorTests {
  private func editor(_ text: String, cursor: Int? = nil) -> LineEditor {
    var editor = LineEditor(text: text)
    if let cursor {
      editor.home()
      for _ in 0..<cursor { editor.moveRight() }
    }
    return editor
  }

  @Test func insertAtCursor() {
    var e = LineEditor()
    e.insert("hllo")
    #expect(e.cursor == 4)
    e.home()
    e.moveRight()
    e.insert("e")
    #expect(e.string == "hello")
    #expect(e.cursor == 2)
  }

  @Test func cursorCountsGraphemeClusters() {
    var e = LineEditor(text: "a👩‍🔬e\u{301}🇪🇸")
    #expect(e.text.count == 4)
    #expect(e.cursor == 4)
    e.backspace()
    #expect(e.string == "a👩‍🔬e\u{301}")
    e.backspace()
    #expect(e.string == "a👩‍🔬")
    e.moveLeft()
    e.backspace()
    #expect(e.string == "👩‍🔬")
    #expect(e.cursor == 0)
  }

  @Test func backspaceAndDeleteAtTheEdgesDoNothing() {
    var e = LineEditor(text: "ab")
    e.deleteForward()
    #expect(e.string == "ab")
    e.home()
    e.backspace()
    #expect(e.string == "ab")
    e.deleteForward()
    #expect(e.string == "b")
    #expect(e.cursor == 0)
    var empty = LineEditor()
    empty.backspace()
    empty.deleteForward()
    empty.moveLeft()
    empty.moveRight()
    empty.moveWordLeft()
    empty.moveWordRight()
    empty.killWordBackward()
    #expect(empty == LineEditor())
  }

  @Test func movementStaysInBounds() {
    var e = LineEditor(text: "ab")
    e.moveRight()
    #expect(e.cursor == 2)
    e.home()
    e.moveLeft()
    #expect(e.cursor == 0)
    e.end()
    #expect(e.cursor == 2)
  }

  @Test func wordMovement() {
    var e = LineEditor(text: "foo  bar baz")
    e.moveWordLeft()
    #expect(e.cursor == 9)
    e.moveWordLeft()
    #expect(e.cursor == 5)
    e.moveWordLeft()
    #expect(e.cursor == 0)
    e.moveWordRight()
    #expect(e.cursor == 3)
    e.moveWordRight()
    #expect(e.cursor == 8)
    e.moveWordRight()
    #expect(e.cursor == 12)
  }

  @Test func killWordBackwardTakesTheWordAndTheSpacesAfterIt() {
    var e = LineEditor(text: "say hello  ")
    e.killWordBackward()
    #expect(e.string == "say ")
    #expect(e.killBuffer == Array("hello  "))
    e.killWordBackward()
    #expect(e.string == "")
    e.killWordBackward()
    #expect(e.killBuffer == Array("say "))
  }

  @Test func killWordInTheMiddle() {
    var e = editor("one two three", cursor: 7)
    e.killWordBackward()
    #expect(e.string == "one  three")
    #expect(e.cursor == 4)
  }

  @Test func killToStartAndEndAndYank() {
    var e = editor("hello world", cursor: 5)
    e.killToEnd()
    #expect(e.string == "hello")
    e.home()
    e.yank()
    #expect(e.string == " worldhello")
    #expect(e.cursor == 6)
    e.killToStart()
    #expect(e.string == "hello")
    #expect(e.killBuffer == Array(" world"))
    e.end()
    e.yank()
    e.yank()
    #expect(e.string == "hello world world")
  }

  @Test func emptyKillKeepsTheBuffer() {
    var e = LineEditor(text: "abc")
    e.killToStart()
    e.killToEnd()
    #expect(e.killBuffer == Array("abc"))
  }

  @Test func submitClearsAndRecordsHistory() {
    var e = LineEditor(text: "first")
    #expect(e.submit() == "first")
    #expect(e.isEmpty)
    #expect(e.cursor == 0)
    #expect(e.submit() == "")
    e.insert("first")
    _ = e.submit()
    e.insert("second")
    _ = e.submit()
    #expect(e.history == ["first", "second"])
  }

  @Test func historyIsBounded() {
    var e = LineEditor()
    for n in 0..<(LineEditor.historyLimit + 20) {
      e.insert("line \(n)")
      _ = e.submit()
    }
    #expect(e.history.count == LineEditor.historyLimit)
    #expect(e.history.first == "line 20")
    #expect(e.history.last == "line \(LineEditor.historyLimit + 19)")
  }

  @Test func historyBrowsingKeepsTheDraft() {
    var e = LineEditor()
    for line in ["one", "two", "three"] {
      e.insert(line)
      _ = e.submit()
    }
    e.insert("draft")
    e.historyPrevious()
    #expect(e.string == "three")
    #expect(e.cursor == 5)
    e.historyPrevious()
    e.historyPrevious()
    e.historyPrevious()
    #expect(e.string == "one")
    #expect(e.historyIndex == 0)
    e.historyNext()
    #expect(e.string == "two")
    e.historyNext()
    e.historyNext()
    #expect(e.string == "draft")
    #expect(e.historyIndex == nil)
    e.historyNext()
    #expect(e.string == "draft")
  }

  @Test func historyWithNothingDoesNothing() {
    var e = LineEditor(text: "x")
    e.historyPrevious()
    e.historyNext()
    #expect(e.string == "x")
  }

  @Test func multiLinePasteKeepsLines() {
    var e = LineEditor()
    e.insert("first line\r\nsecond\rthird\n\nfourth\n")
    #expect(e.lines == ["first line", "second", "third", "fourth"])
    #expect(e.string == "first line\nsecond\nthird\n\nfourth\n")
    #expect(e.submit() == "first line\nsecond\nthird\n\nfourth\n")
    #expect(LineEditor(text: "one").lines == ["one"])
    #expect(LineEditor().lines == [])
    #expect(LineEditor(text: "\n\n").lines == [])
  }

  @Test func controlCharactersAreDroppedOnInsert() {
    var e = LineEditor()
    e.insert("a\u{1B}[1mb\tc\u{7F}\u{202E}d\u{0}")
    #expect(e.string == "a[1mb cd")
  }

  @Test func replaceClampsItsRange() {
    var e = LineEditor(text: "hello")
    e.replace(3..<99, with: "p!")
    #expect(e.string == "help!")
    #expect(e.cursor == 5)
    e.replace(-3..<1, with: "")
    #expect(e.string == "elp!")
    #expect(e.cursor == 0)
  }
}

@Suite struct LineEditorViewportTests {
  @Test func shortTextShowsWhole() {
    let e = LineEditor(text: "hello")
    #expect(e.visibleSlice(width: 10) == ("hello", 5) as (String, Int))
    #expect(LineEditor().visibleSlice(width: 10) == ("", 0) as (String, Int))
  }

  @Test func scrollsToKeepTheCursorVisible() {
    let e = LineEditor(text: "abcdefghijklmnopqrstuvwxyz")
    let (text, column) = e.visibleSlice(width: 10)
    #expect(column < 10)
    #expect(text.hasSuffix("xyz"))
    #expect(DisplayWidth.of(text) <= 10)
    #expect(text.count == 10 - (10 - column))
  }

  @Test func cursorAtEveryPositionIsVisible() {
    var e = LineEditor(text: "日本語 and English mixed 👩‍🔬 text e\u{301}tude 🇪🇸 end")
    e.home()
    for width in [1, 2, 3, 5, 8, 13] {
      var probe = e
      while true {
        let (text, column) = probe.visibleSlice(width: width)
        #expect((0..<width).contains(column))
        #expect(DisplayWidth.of(text) <= width)
        // The slice's text before the cursor column ends right before the cursor's character.
        var before = 0
        var rest = Substring(text)
        while before < column, let first = rest.first {
          before += DisplayWidth.of(first)
          rest = rest.dropFirst()
        }
        #expect(before == column)
        if probe.cursor < probe.text.count, let next = rest.first {
          #expect(next == probe.text[probe.cursor])
        }
        if probe.cursor == probe.text.count { break }
        probe.moveRight()
      }
    }
  }

  @Test func sliceStartsAtTheCursorColumnOffset() {
    var e = LineEditor(text: "0123456789abcdefghij")
    e.home()
    for _ in 0..<12 { e.moveRight() }
    // Width 10, step 5: scrolled by 5 columns, cursor at column 7.
    let (text, column) = e.visibleSlice(width: 10)
    #expect(text == "56789abcde")
    #expect(column == 7)
    // Moving left inside the view does not scroll …
    e.moveLeft()
    e.moveLeft()
    #expect(e.visibleSlice(width: 10) == ("56789abcde", 5) as (String, Int))
    // … until the cursor leaves it.
    e.moveLeft()
    #expect(e.visibleSlice(width: 10) == ("0123456789", 9) as (String, Int))
  }

  @Test func wideCharactersCountTwoAndAreNotCut() {
    let e = LineEditor(text: "日本語日本語")
    let (text, column) = e.visibleSlice(width: 5)
    #expect(column <= 4)
    #expect(DisplayWidth.of(text) <= 5)
    #expect(!text.isEmpty)
    let short = LineEditor(text: "日本")
    #expect(short.visibleSlice(width: 5) == ("日本", 4) as (String, Int))
    #expect(short.visibleSlice(width: 4).cursorColumn <= 3)
  }

  @Test func newlinesShowAsASymbol() {
    let e = LineEditor(text: "a\nb")
    #expect(e.visibleSlice(width: 10) == ("a\u{21B5}b", 3) as (String, Int))
  }

  @Test func zeroWidthShowsNothing() {
    #expect(LineEditor(text: "abc").visibleSlice(width: 0) == ("", 0) as (String, Int))
  }
}
