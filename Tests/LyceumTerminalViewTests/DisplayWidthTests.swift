import LyceumTerminalView
import Testing

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneCell() {
    #expect(DisplayWidth.of("a" as Character) == 1)
    #expect(DisplayWidth.of(" " as Character) == 1)
    #expect(DisplayWidth.of("~" as Character) == 1)
    #expect(DisplayWidth.of("hello, world") == 12)
  }

  @Test func emptyStringIsZero() {
    #expect(DisplayWidth.of("") == 0)
    #expect(DisplayWidth.of(""[...]) == 0)
  }

  @Test(arguments: [
    "\u{00}", "\u{07}", "\t", "\n", "\r", "\r\n", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}",
  ])
  func controlCharactersAreZero(_ text: String) {
    #expect(text.count == 1)
    #expect(DisplayWidth.of(text.first!) == 0)
  }

  @Test func combiningMarksJoinTheirBase() {
    let decomposed: Character = "e\u{301}"
    #expect(decomposed.unicodeScalars.count == 2)
    #expect(DisplayWidth.of(decomposed) == 1)
    #expect(DisplayWidth.of("e\u{301}" as Character) == DisplayWidth.of("é" as Character))
    // Several marks stacked on one letter are still one cell.
    #expect(DisplayWidth.of("a\u{300}\u{301}\u{302}\u{303}" as Character) == 1)
    #expect(DisplayWidth.of("cafe\u{301}") == 4)
    // A wide base with a combining mark stays wide (a dakuten on a kana).
    #expect(DisplayWidth.of("\u{304B}\u{3099}" as Character) == 2)
  }

  @Test func loneZeroWidthClustersAreZero() {
    #expect(DisplayWidth.of("\u{301}" as Character) == 0)
    #expect(DisplayWidth.of("\u{200B}" as Character) == 0)  // zero-width space
    #expect(DisplayWidth.of("\u{200D}" as Character) == 0)  // zero-width joiner
    #expect(DisplayWidth.of("\u{FEFF}" as Character) == 0)  // BOM
    #expect(DisplayWidth.of("\u{202E}" as Character) == 0)  // right-to-left override
    #expect(DisplayWidth.of("\u{FE0F}" as Character) == 0)
    #expect(DisplayWidth.of("\u{2028}" as Character) == 0)
  }

  @Test(arguments: [
    "日", "本", "語", "の", "テ", "한", "\u{3000}", "Ａ", "！", "￥", "〈", "𠀋", "ㄅ", "\u{1100}\u{1161}",
  ])
  func eastAsianWideAndFullwidthAreTwo(_ text: String) {
    #expect(text.count == 1)
    #expect(DisplayWidth.of(text.first!) == 2)
  }

  @Test(arguments: ["ｱ", "ﾝ", "Ω", "ж", "α", "…", "é", "ß", "\u{0627}", "\u{05D0}", "₂"])
  func narrowAndAmbiguousAreOne(_ text: String) {
    #expect(DisplayWidth.of(text.first!) == 1)
  }

  @Test func japaneseSentence() {
    #expect(DisplayWidth.of("日本語のテキスト") == 16)
    #expect(DisplayWidth.of("abc日本") == 7)
  }

  @Test func emojiPresentationIsTwo() {
    #expect(DisplayWidth.of("😀" as Character) == 2)
    #expect(DisplayWidth.of("🎉" as Character) == 2)
    #expect(DisplayWidth.of("⌚" as Character) == 2)
  }

  @Test func zwjSequencesAreOneWideCluster() {
    let scientist: Character = "👩‍🔬"
    #expect(scientist.unicodeScalars.count == 3)
    #expect(DisplayWidth.of(scientist) == 2)
    #expect(DisplayWidth.of("👨‍👩‍👧‍👦" as Character) == 2)
    #expect(DisplayWidth.of("🏳️‍🌈" as Character) == 2)
    #expect(DisplayWidth.of("a👩‍🔬b") == 4)
  }

  @Test func flagsAreTwoAndLoneIndicatorsOne() {
    let spain: Character = "🇪🇸"
    #expect(spain.unicodeScalars.count == 2)
    #expect(DisplayWidth.of(spain) == 2)
    #expect(DisplayWidth.of("🇪🇸🇯🇵") == 4)
    #expect(DisplayWidth.of("\u{1F1EA}" as Character) == 1)
    // Tag sequence flag (England).
    #expect(DisplayWidth.of("🏴󠁧󠁢󠁥󠁮󠁧󠁿" as Character) == 2)
  }

  @Test func variationSelectorSixteenMakesTextEmojiWide() {
    #expect(DisplayWidth.of("\u{2764}" as Character) == 1)
    #expect(DisplayWidth.of("\u{2764}\u{FE0F}" as Character) == 2)
    #expect(DisplayWidth.of("\u{263A}\u{FE0F}" as Character) == 2)
    #expect(DisplayWidth.of("\u{A9}\u{FE0F}" as Character) == 2)
    // A text-presentation selector on a text-default emoji keeps it narrow.
    #expect(DisplayWidth.of("\u{2764}\u{FE0E}" as Character) == 1)
  }

  @Test func keycapsAndSkinTonesAreTwo() {
    #expect(DisplayWidth.of("1\u{FE0F}\u{20E3}" as Character) == 2)
    #expect(DisplayWidth.of("#\u{FE0F}\u{20E3}" as Character) == 2)
    #expect(DisplayWidth.of("👍🏽" as Character) == 2)
    #expect(DisplayWidth.of("\u{261D}\u{1F3FD}" as Character) == 2)
  }

  @Test func digitsAreNotEmojiWithoutKeycap() {
    #expect(DisplayWidth.of("1" as Character) == 1)
    #expect(DisplayWidth.of("#" as Character) == 1)
  }

  @Test func neverSumsScalars() {
    // Every cluster is at most 2 cells, however many scalars it has.
    for character in "👩‍🔬🇪🇸👨‍👩‍👧‍👦e\u{301}\u{301}\u{301}1\u{FE0F}\u{20E3}한" {
      #expect(DisplayWidth.of(character) <= 2)
    }
    #expect(DisplayWidth.of("👩‍🔬🇪🇸e\u{301}") == 5)
  }
}
