import LyceumTerminalView
import Testing

@Suite struct TextSanitizerTests {
  @Test func plainTextPassesThrough() {
    let text = TextSanitizer.parse("hello 日本 👩‍🔬 e\u{301}")
    #expect(text.spans == [StyledSpan(text: "hello 日本 👩‍🔬 e\u{301}")])
  }

  @Test func emptyTextHasNoSpans() {
    #expect(TextSanitizer.parse("").spans.isEmpty)
    #expect(TextSanitizer.parse("\u{02}\u{02}\u{0F}").spans.isEmpty)
  }

  @Test func boldTogglesAndResetEnds() {
    let text = TextSanitizer.parse("a\u{02}b\u{02}c\u{02}d\u{0F}e")
    #expect(
      text.spans == [
        StyledSpan(text: "a"), StyledSpan(text: "b", style: TextStyle(bold: true)),
        StyledSpan(text: "c"), StyledSpan(text: "d", style: TextStyle(bold: true)),
        StyledSpan(text: "e"),
      ])
  }

  @Test func attributeCodes() {
    #expect(TextSanitizer.parse("\u{1D}i").spans[0].style == TextStyle(italic: true))
    #expect(TextSanitizer.parse("\u{1F}u").spans[0].style == TextStyle(underline: true))
    #expect(TextSanitizer.parse("\u{16}r").spans[0].style == TextStyle(reverse: true))
    #expect(TextSanitizer.parse("\u{1E}s").spans[0].style == TextStyle(strikethrough: true))
    #expect(TextSanitizer.parse("\u{11}m").spans == [StyledSpan(text: "m")])
    let all = TextSanitizer.parse("\u{02}\u{1D}\u{1F}x\u{0F}y")
    #expect(all.spans[0].style == TextStyle(bold: true, italic: true, underline: true))
    #expect(all.spans[1] == StyledSpan(text: "y"))
  }

  @Test func colourForegroundAndBackground() {
    let text = TextSanitizer.parse("\u{03}4red\u{03}12,01blue on black\u{03}plain")
    #expect(text.spans.count == 3)
    #expect(text.spans[0] == StyledSpan(text: "red", style: TextStyle(foreground: .mirc(4))))
    #expect(
      text.spans[1].style == TextStyle(foreground: TerminalColor(12), background: .black))
    #expect(text.spans[2] == StyledSpan(text: "plain"))
  }

  @Test func colourDigitsAreAtMostTwo() {
    let text = TextSanitizer.parse("\u{03}0312")
    #expect(text.spans == [StyledSpan(text: "12", style: TextStyle(foreground: .mirc(3)))])
  }

  @Test func commaWithoutDigitIsText() {
    let text = TextSanitizer.parse("\u{03}4,x")
    #expect(text.spans == [StyledSpan(text: ",x", style: TextStyle(foreground: .mirc(4)))])
    // A comma right after the bare code is text too, and the code resets the colours.
    #expect(TextSanitizer.parse("\u{03},5").spans == [StyledSpan(text: ",5")])
  }

  @Test func foregroundOnlyKeepsBackground() {
    let text = TextSanitizer.parse("\u{03}1,8a\u{03}4b")
    #expect(text.spans[1].style == TextStyle(foreground: .mirc(4), background: .mirc(8)))
  }

  @Test func ninetyNineIsTheDefault() {
    let base = TextStyle(foreground: .cyan)
    let text = TextSanitizer.parse("\u{03}4a\u{03}99,99b", base: base)
    #expect(text.spans[1] == StyledSpan(text: "b", style: base))
  }

  @Test func resetReturnsToBase() {
    let base = TextStyle(dim: true)
    let text = TextSanitizer.parse("\u{02}\u{03}4x\u{0F}y", base: base)
    #expect(text.spans.last == StyledSpan(text: "y", style: base))
  }

  @Test func mircPalette() {
    #expect(TerminalColor.mirc(0) == .brightWhite)
    #expect(TerminalColor.mirc(1) == .black)
    #expect(TerminalColor.mirc(2) == .blue)
    #expect(TerminalColor.mirc(3) == .green)
    #expect(TerminalColor.mirc(4)?.index == 9)
    #expect(TerminalColor.mirc(15) == .white)
    #expect(TerminalColor.mirc(16)?.index == 52)
    #expect(TerminalColor.mirc(52)?.index == 196)
    #expect(TerminalColor.mirc(98)?.index == 231)
    #expect(TerminalColor.mirc(99) == nil)
    #expect(TerminalColor.mirc(-1) == nil)
    #expect(TerminalColor(index: 256) == nil)
    #expect(TerminalColor(index: 255)?.index == 255)
  }

  @Test func hexColourIsSkipped() {
    #expect(TextSanitizer.parse("\u{04}FF0000red").plainText == "red")
    #expect(TextSanitizer.parse("\u{04}FF0000,00ff00x").plainText == "x")
    #expect(TextSanitizer.parse("\u{04}FF0000,zz").plainText == ",zz")
    #expect(TextSanitizer.parse("\u{04}12ab").plainText == "12ab")
  }

  @Test func tabBecomesSpaces() {
    #expect(TextSanitizer.plain("a\tb") == "a    b")
    #expect(TextSanitizer.plain("a\tb", tabWidth: 2) == "a  b")
    #expect(TextSanitizer.plain("a\tb", tabWidth: 0) == "ab")
  }

  @Test func controlsBecomeVisibleAndInert() {
    let text = TextSanitizer.plain("a\u{1B}[31mb\u{07}\u{00}\r\n\u{7F}\u{9B}c")
    #expect(text == "a\u{241B}[31mb\u{2407}\u{2400}\u{240D}\u{240A}\u{2421}\u{FFFD}c")
    for scalar in text.unicodeScalars {
      #expect(scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value))
    }
  }

  @Test func ctcpDelimiterIsVisible() {
    #expect(TextSanitizer.plain("\u{01}VERSION\u{01}") == "\u{2401}VERSION\u{2401}")
  }

  @Test func bidiOverridesAreDropped() {
    #expect(TextSanitizer.plain("abc\u{202E}fed\u{202C}!") == "abcfed!")
    #expect(TextSanitizer.plain("\u{2066}x\u{2069}\u{2067}y") == "xy")
    #expect(TextSanitizer.plain("a\u{2028}b") == "a b")
  }

  @Test func widthOfStyledText() {
    let text = TextSanitizer.parse("\u{02}日本\u{02} 👩‍🔬 \u{03}4e\u{301}")
    #expect(text.width == 9)
    #expect(text.plainText == "日本 👩‍🔬 e\u{301}")
  }

  @Test func trailingCodesAreConsumed() {
    #expect(TextSanitizer.parse("x\u{03}").spans == [StyledSpan(text: "x")])
    #expect(TextSanitizer.parse("x\u{03}1").spans == [StyledSpan(text: "x")])
    #expect(TextSanitizer.parse("x\u{03}1,").plainText == "x,")
    #expect(TextSanitizer.parse("x\u{04}").plainText == "x")
  }
}

@Suite struct StyledTextTests {
  @Test func concatenationMergesEqualStyles() {
    let a = StyledText(plain: "ab")
    let b = StyledText(plain: "cd")
    #expect((a + b).spans == [StyledSpan(text: "abcd")])
    let bold = StyledText(plain: "x", style: TextStyle(bold: true))
    #expect((a + bold + b).spans.count == 3)
    var c = a
    c += StyledText()
    #expect(c == a)
  }

  @Test func emptySpansAreDropped() {
    let text = StyledText(spans: [
      StyledSpan(text: ""), StyledSpan(text: "a"), StyledSpan(text: ""),
    ])
    #expect(text.spans == [StyledSpan(text: "a")])
    #expect(StyledText(plain: "").isEmpty)
  }

  @Test func widthAndPlainText() {
    let text = StyledText(plain: "日本") + StyledText(plain: "🇪🇸", style: TextStyle(bold: true))
    #expect(text.width == 6)
    #expect(text.plainText == "日本🇪🇸")
  }
}
