import LyceumTerminalView
import Testing

@Suite struct LineWrapperTests {
  private func rows(_ text: String, width: Int, indent: Int = 0) -> [String] {
    LineWrapper.wrap(StyledText(plain: text), width: width, continuationIndent: indent)
      .map(\.plainText)
  }

  /// The characters of `rows` without the indents and the spaces dropped at breaks.
  private func visibleCharacters(_ rows: [String]) -> [Character] {
    rows.joined().filter { $0 != " " }
  }

  @Test func shortTextIsOneRow() {
    #expect(rows("hello world", width: 20) == ["hello world"])
    #expect(rows("hello world", width: 11) == ["hello world"])
  }

  @Test func emptyTextIsOneEmptyRow() {
    #expect(rows("", width: 10) == [""])
    #expect(rows("", width: 1) == [""])
  }

  @Test func breaksAfterSpacesAndDropsThem() {
    #expect(rows("hello world again", width: 11) == ["hello world", "again"])
    #expect(rows("hello world again", width: 10) == ["hello", "world", "again"])
    #expect(rows("aaa    bbb", width: 5) == ["aaa", "bbb"])
  }

  @Test func spaceExactlyAtEdge() {
    #expect(rows("abcde fgh", width: 5) == ["abcde", "fgh"])
    #expect(rows("abcd efgh", width: 5) == ["abcd", "efgh"])
  }

  @Test func longWordsBreakInside() {
    let url = "https://example.org/a/very/long/path"
    let wrapped = rows("see " + url, width: 10)
    #expect(wrapped == ["see", "https://ex", "ample.org/", "a/very/lon", "g/path"])
  }

  @Test func continuationIndent() {
    #expect(rows("aaa bbb ccc ddd", width: 7, indent: 2) == ["aaa bbb", "  ccc", "  ddd"])
    let wrapped = rows("abcdefghijkl", width: 6, indent: 2)
    #expect(wrapped == ["abcdef", "  ghij", "  kl"])
  }

  @Test func indentIsClampedSoThatWideCharactersStillFit() {
    let wrapped = rows("日本語のテキスト", width: 3, indent: 10)
    #expect(wrapped == ["日", " 本", " 語", " の", " テ", " キ", " ス", " ト"])
    for row in wrapped { #expect(DisplayWidth.of(row) <= 3) }
  }

  @Test func japaneseAtWidthFive() {
    let text = "日本語のテキスト"
    let wrapped = rows(text, width: 5)
    #expect(wrapped == ["日本", "語の", "テキ", "スト"])
    for row in wrapped { #expect(DisplayWidth.of(row) <= 5) }
    #expect(String(visibleCharacters(wrapped)) == text)
  }

  @Test func cjkMayBreakBetweenAnyTwoCharacters() {
    // No space to break at, but the row is filled rather than broken before the CJK run.
    #expect(rows("hi 日本語です", width: 8) == ["hi 日本", "語です"])
  }

  @Test func wideCharacterNeverStraddlesTheEdge() {
    #expect(rows("a日本", width: 4) == ["a日", "本"])
    #expect(rows("abc👩‍🔬d", width: 4) == ["abc", "👩‍🔬d"])
  }

  @Test func clustersAreNeverSplit() {
    let text = "e\u{301}e\u{301}e\u{301}🇪🇸🇪🇸👩‍🔬"
    let wrapped = rows(text, width: 2)
    #expect(wrapped == ["e\u{301}e\u{301}", "e\u{301}", "🇪🇸", "🇪🇸", "👩‍🔬"])
  }

  @Test func widthOneReplacesWideCharactersAndTerminates() {
    let wrapped = rows("a日b👩‍🔬", width: 1, indent: 3)
    #expect(wrapped == ["a", "?", "b", "?"])
    #expect(LineWrapper.widePlaceholder == "?")
  }

  @Test func widthZeroOrNegativeActsAsOne() {
    #expect(rows("ab", width: 0) == ["a", "b"])
    #expect(rows("日", width: -5) == ["?"])
  }

  @Test func widthTwoKeepsWideCharacters() {
    #expect(rows("日本", width: 2, indent: 5) == ["日", "本"])
  }

  @Test func leadingSpacesOfTheFirstRowAreKept() {
    #expect(rows("  ab", width: 10) == ["  ab"])
    #expect(rows("      ", width: 3) == [""])
  }

  @Test func stylesSurviveWrapping() {
    let bold = TextStyle(bold: true)
    let text = StyledText(plain: "abc ") + StyledText(plain: "defgh", style: bold)
    let wrapped = LineWrapper.wrap(text, width: 6, continuationIndent: 1)
    #expect(wrapped.count == 2)
    #expect(wrapped[0] == StyledText(plain: "abc"))
    #expect(wrapped[1] == StyledText(plain: " ") + StyledText(plain: "defgh", style: bold))
    let split = LineWrapper.wrap(StyledText(plain: "abcdefgh", style: bold), width: 4)
    #expect(
      split == [StyledText(plain: "abcd", style: bold), StyledText(plain: "efgh", style: bold)])
  }

  @Test func zeroWidthClustersDoNotBreakWrapping() {
    #expect(rows("\u{301}abc", width: 2).map(\.count) == [3, 1])
  }

  @Test(arguments: 1...12)
  func noRowIsTooWideAndNothingIsLost(width: Int) {
    let text = "Hello 世界! 👩‍🔬 visits 🇪🇸 — https://example.org/日本語/page?q=e\u{301}tude ok"
    let wrapped = rows(text, width: width, indent: 4)
    for row in wrapped { #expect(DisplayWidth.of(row) <= width) }
    if width >= 2 {
      #expect(visibleCharacters(wrapped) == text.filter { $0 != " " })
    }
  }

  @Test func longInputIsLinear() {
    // 80 000 characters with spaces, then 100 000 without any: must not be quadratic.
    let long = String(repeating: "日本語abc ", count: 10_000)
    let wrapped = LineWrapper.wrap(StyledText(plain: long), width: 80, continuationIndent: 10)
    #expect(wrapped.count > 1000)
    for row in wrapped { #expect(row.width <= 80) }
    let url = String(repeating: "x", count: 100_000)
    #expect(LineWrapper.wrap(StyledText(plain: url), width: 100).count == 1000)
  }
}
