/// How many terminal cells a grapheme cluster (a Swift `Character`) is drawn in.
///
/// Terminals draw per cluster, not per scalar: summing `wcwidth` over scalars gives 4 for the
/// ZWJ emoji 👩‍🔬 that terminals draw in 2, and 2 for "é" written as e + U+0301. So a cluster is
/// judged by its first scalar plus the presence of emoji selectors and joiners, never by a sum.
///
/// - 0: control characters (C0, DEL, C1), format and zero-width characters, and lone combining
///   marks. They occupy no cell: the grid skips them and the sanitizer replaces controls before
///   they get here.
/// - 2: East Asian Wide and Fullwidth characters (CJK, Hangul, kana, fullwidth forms …) and emoji
///   clusters (emoji presentation, an emoji base followed by U+FE0F, ZWJ sequences, skin tones,
///   regional-indicator pairs, keycaps).
/// - 1: everything else, including a letter with any number of combining marks.
public enum DisplayWidth {
  /// The cells `character` takes: 0, 1 or 2.
  public static func of(_ character: Character) -> Int {
    if let ascii = character.asciiValue {
      return ascii < 0x20 || ascii == 0x7F ? 0 : 1
    }
    let scalars = character.unicodeScalars
    var iterator = scalars.makeIterator()
    guard var first = iterator.next() else { return 0 }
    // A zero-width scalar can lead a cluster (a prepended mark, a stray combining mark): the
    // cluster is then as wide as what follows it, or 0 if nothing visible does.
    while scalarIsZeroWidth(first) {
      guard let next = iterator.next() else { return 0 }
      first = next
    }
    if isControl(first.value) { return 0 }
    var regionalIndicators = 0
    var hasEmojiSelector = false
    var hasJoiner = false
    var hasKeycap = false
    var hasSkinTone = false
    for scalar in scalars {
      switch scalar.value {
      case 0x1F1E6...0x1F1FF: regionalIndicators += 1
      case 0xFE0F: hasEmojiSelector = true
      case 0x200D: hasJoiner = true
      case 0x20E3: hasKeycap = true
      case 0x1F3FB...0x1F3FF: hasSkinTone = true
      default: break
      }
    }
    if regionalIndicators > 0 {
      // A pair is a flag, drawn as one wide emoji; a lone indicator is East Asian Width N and
      // drawn as a letter.
      return regionalIndicators >= 2 ? 2 : 1
    }
    if hasKeycap { return 2 }
    let properties = first.properties
    if properties.isEmojiPresentation { return 2 }
    if first.value >= 0x80, properties.isEmoji,
      hasEmojiSelector || hasJoiner || hasSkinTone
    {
      return 2
    }
    return isWide(first.value) ? 2 : 1
  }

  /// The cells `text` takes on one row: the sum over its grapheme clusters.
  public static func of(_ text: some StringProtocol) -> Int {
    var total = 0
    for character in text { total += of(character) }
    return total
  }

  /// Whether `value` is a C0 control, DEL or a C1 control.
  static func isControl(_ value: UInt32) -> Bool {
    value < 0x20 || (0x7F...0x9F).contains(value)
  }

  /// Whether `scalar` draws nothing by itself: combining and enclosing marks, format characters
  /// (zero-width space and joiners, bidi controls, the BOM …), line and paragraph separators,
  /// variation selectors and Hangul medial vowels and final consonants.
  static func scalarIsZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x300 { return value == 0xAD }
    if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .lineSeparator, .paragraphSeparator:
      return true
    default:
      return false
    }
  }

  /// Whether `value` is East Asian Wide or Fullwidth (the main ranges of Unicode's
  /// EastAsianWidth.txt; the emoji among them are also caught by their emoji presentation).
  static func isWide(_ value: UInt32) -> Bool {
    if value < 0x1100 { return false }
    var low = 0
    var high = wideRanges.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let range = wideRanges[middle]
      if value < range.lowerBound {
        high = middle - 1
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }
}

/// East Asian Wide (W) and Fullwidth (F) ranges, sorted, non-overlapping.
private let wideRanges: [ClosedRange<UInt32>] = [
  0x1100...0x115F,  // Hangul Jamo initial consonants
  0x231A...0x231B,  // watch, hourglass
  0x2329...0x232A,  // angle brackets
  0x23E9...0x23EC,
  0x23F0...0x23F0,
  0x23F3...0x23F3,
  0x25FD...0x25FE,
  0x2614...0x2615,
  0x2648...0x2653,
  0x267F...0x267F,
  0x2693...0x2693,
  0x26A1...0x26A1,
  0x26AA...0x26AB,
  0x26BD...0x26BE,
  0x26C4...0x26C5,
  0x26CE...0x26CE,
  0x26D4...0x26D4,
  0x26EA...0x26EA,
  0x26F2...0x26F3,
  0x26F5...0x26F5,
  0x26FA...0x26FA,
  0x26FD...0x26FD,
  0x2705...0x2705,
  0x270A...0x270B,
  0x2728...0x2728,
  0x274C...0x274C,
  0x274E...0x274E,
  0x2753...0x2755,
  0x2757...0x2757,
  0x2795...0x2797,
  0x27B0...0x27B0,
  0x27BF...0x27BF,
  0x2B1B...0x2B1C,
  0x2B50...0x2B50,
  0x2B55...0x2B55,
  0x2E80...0x2E99,  // CJK radicals supplement
  0x2E9B...0x2EF3,
  0x2F00...0x2FD5,  // Kangxi radicals
  0x2FF0...0x2FFF,  // ideographic description characters
  0x3000...0x303E,  // ideographic space (F), CJK symbols and punctuation
  0x3041...0x3096,  // Hiragana
  0x3099...0x30FF,  // kana marks, Katakana
  0x3105...0x312F,  // Bopomofo
  0x3131...0x318E,  // Hangul compatibility Jamo
  0x3190...0x31E3,  // Kanbun, Bopomofo extended, CJK strokes
  0x31EF...0x321E,  // Katakana phonetic extensions, enclosed CJK
  0x3220...0x3247,
  0x3250...0x4DBF,  // enclosed CJK, CJK compatibility, CJK extension A
  0x4E00...0xA48C,  // CJK unified ideographs, Yi syllables
  0xA490...0xA4C6,  // Yi radicals
  0xA960...0xA97C,  // Hangul Jamo extended A
  0xAC00...0xD7A3,  // Hangul syllables
  0xF900...0xFAFF,  // CJK compatibility ideographs
  0xFE10...0xFE19,  // vertical forms
  0xFE30...0xFE52,  // CJK compatibility forms, small form variants
  0xFE54...0xFE66,
  0xFE68...0xFE6B,
  0xFF01...0xFF60,  // fullwidth forms (F)
  0xFFE0...0xFFE6,  // fullwidth signs (F)
  0x16FE0...0x16FE4,
  0x16FF0...0x16FF1,
  0x17000...0x187F7,  // Tangut
  0x18800...0x18CD5,
  0x18D00...0x18D08,
  0x1AFF0...0x1AFFE,  // Kana extended B
  0x1B000...0x1B122,  // Kana supplement, Kana extended A
  0x1B132...0x1B132,
  0x1B150...0x1B152,
  0x1B155...0x1B155,
  0x1B164...0x1B167,
  0x1B170...0x1B2FB,  // Nushu
  0x1F004...0x1F004,
  0x1F0CF...0x1F0CF,
  0x1F18E...0x1F18E,
  0x1F191...0x1F19A,
  0x1F200...0x1F202,
  0x1F210...0x1F23B,
  0x1F240...0x1F248,
  0x1F250...0x1F251,
  0x1F260...0x1F265,
  0x1F300...0x1F320,  // the emoji blocks' wide parts
  0x1F32D...0x1F335,
  0x1F337...0x1F37C,
  0x1F37E...0x1F393,
  0x1F3A0...0x1F3CA,
  0x1F3CF...0x1F3D3,
  0x1F3E0...0x1F3F0,
  0x1F3F4...0x1F3F4,
  0x1F3F8...0x1F43E,
  0x1F440...0x1F440,
  0x1F442...0x1F4FC,
  0x1F4FF...0x1F53D,
  0x1F54B...0x1F54E,
  0x1F550...0x1F567,
  0x1F57A...0x1F57A,
  0x1F595...0x1F596,
  0x1F5A4...0x1F5A4,
  0x1F5FB...0x1F64F,
  0x1F680...0x1F6C5,
  0x1F6CC...0x1F6CC,
  0x1F6D0...0x1F6D2,
  0x1F6D5...0x1F6D7,
  0x1F6DC...0x1F6DF,
  0x1F6EB...0x1F6EC,
  0x1F6F4...0x1F6FC,
  0x1F7E0...0x1F7EB,
  0x1F7F0...0x1F7F0,
  0x1F90C...0x1F93A,
  0x1F93C...0x1F945,
  0x1F947...0x1F9FF,
  0x1FA70...0x1FAFF,  // symbols and pictographs extended A
  0x20000...0x2FFFD,  // CJK extensions B-F, compatibility supplement
  0x30000...0x3FFFD,  // CJK extensions G, H
]
