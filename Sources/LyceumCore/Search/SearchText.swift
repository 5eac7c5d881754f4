/// The text side of `SEARCH`: how a search text is read, and the form in which message text is
/// indexed so that every language the rooms use can be found.
///
/// Words are what SQLite's `unicode61` tokenizer calls tokens: runs of letters and digits,
/// compared without case and (in the SQLite store) without diacritics. Scripts written without
/// spaces between words (Chinese, Japanese, Korean syllables, Thai, Lao, Khmer, Myanmar) have no
/// such runs, so `indexForm(_:)` sets each of their characters apart: a word of those scripts is
/// then found as the phrase of its characters, which matches exactly where the characters stand
/// together, whatever surrounds them (a substring match, as a reader of those languages
/// expects). The same form is applied to the search text, so both sides agree.
///
/// A search text is words (all must be there), `"quoted phrases"` (in this order, side by
/// side), `word*` (a prefix of at least `minPrefixLength` letters), and `-word` or `-"phrase"`
/// (left out). Nothing else is special: the text is never handed to SQLite as query syntax.
public enum SearchText {
  /// The most terms one search text may have.
  public static let maxTerms = 16
  /// The shortest prefix `word*` may have, in characters.
  public static let minPrefixLength = 2

  /// `text` with every character of a script written without spaces set apart by spaces.
  public static func indexForm(_ text: String) -> String {
    // Every script written without spaces lies above U+0800, whose UTF-8 forms start with a
    // byte of 0xE0 or more: text without such a byte is its own index form, as it is, with
    // no copy. The history writer runs this on every kept message (measured with
    // `lyceum-bench history-store`: rebuilding ASCII text scalar by scalar was 9 % of it).
    if !text.utf8.contains(where: { $0 >= 0xE0 }) { return text }
    var out = String.UnicodeScalarView()
    out.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      if isUnspacedScript(scalar) {
        out.append(" ")
        out.append(scalar)
        out.append(" ")
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// The words of `text` in index form, lower case: runs of letters, digits and marks.
  public static func tokens(_ text: String) -> [String] {
    var tokens: [String] = []
    var current = String.UnicodeScalarView()
    func flush() {
      if !current.isEmpty { tokens.append(String(current).lowercased()) }
      current = String.UnicodeScalarView()
    }
    for scalar in indexForm(text).unicodeScalars {
      if isWordScalar(scalar) {
        current.append(scalar)
      } else {
        flush()
      }
    }
    flush()
    return tokens
  }

  /// The terms of a search text; throws for an unbalanced quote, too many terms, a short
  /// prefix, or no term to look for.
  public static func parse(_ text: String) throws(SearchSyntaxError) -> [SearchTerm] {
    var terms: [SearchTerm] = []
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      if character.isWhitespace {
        index = text.index(after: index)
        continue
      }
      var excluded = false
      if character == "-" {
        excluded = true
        index = text.index(after: index)
        guard index < text.endIndex else { break }
      }
      var body: Substring
      var prefix = false
      if text[index] == "\"" {
        let start = text.index(after: index)
        guard let end = text[start...].firstIndex(of: "\"") else { throw .unbalancedQuote }
        body = text[start..<end]
        index = text.index(after: end)
      } else {
        let end = text[index...].firstIndex(where: \.isWhitespace) ?? text.endIndex
        body = text[index..<end]
        index = end
        if body.hasSuffix("*") {
          body = body.dropLast()
          prefix = true
        }
      }
      if body.contains("\"") { throw .unbalancedQuote }
      let tokens = tokens(String(body))
      guard !tokens.isEmpty else { continue }
      if prefix, (tokens.last?.count ?? 0) < minPrefixLength { throw .prefixTooShort }
      terms.append(SearchTerm(tokens: tokens, isPrefix: prefix, isExcluded: excluded))
      if terms.count > maxTerms { throw .tooManyTerms }
    }
    guard terms.contains(where: { !$0.isExcluded }) else { throw .noTerms }
    return terms
  }

  /// Whether `text` (a message) matches `terms`, comparing whole words without case: the
  /// reference for the in-memory store (the SQLite store also ignores diacritics).
  public static func matches(_ text: String, _ terms: [SearchTerm]) -> Bool {
    let words = tokens(text)
    func contains(_ term: SearchTerm) -> Bool {
      let count = term.tokens.count
      guard words.count >= count else { return false }
      for start in 0...(words.count - count) {
        var found = true
        for (offset, token) in term.tokens.enumerated() {
          let word = words[start + offset]
          let last = offset == count - 1
          if !(word == token || (last && term.isPrefix && word.hasPrefix(token))) {
            found = false
            break
          }
        }
        if found { return true }
      }
      return false
    }
    return terms.allSatisfy { contains($0) != $0.isExcluded }
  }

  /// Letters, digits and marks (the marks of Indic vowels stay inside their word).
  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark,
      .enclosingMark, .privateUse:
      true
    default: false
    }
  }

  /// Scripts written without spaces between words: CJK ideographs, kana, Hangul, Thai, Lao,
  /// Myanmar, Khmer.
  static func isUnspacedScript(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0E00...0x0EFF,  // Thai, Lao
      0x1000...0x109F,  // Myanmar
      0x1100...0x11FF,  // Hangul Jamo
      0x1780...0x17FF,  // Khmer
      0x3040...0x30FF,  // Hiragana, Katakana
      0x3130...0x318F,  // Hangul compatibility Jamo
      0x31F0...0x31FF,  // Katakana extensions
      0x3400...0x4DBF,  // CJK extension A
      0x4E00...0x9FFF,  // CJK unified ideographs
      0xAC00...0xD7AF,  // Hangul syllables
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0x20000...0x3134F:  // CJK extensions B–G
      true
    default: false
    }
  }
}
