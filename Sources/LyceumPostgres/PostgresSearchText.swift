import Foundation
import LyceumCore

/// The words of `SEARCH` as PostgreSQL's full-text search holds them: a `tsvector` per kept
/// message and a `tsquery` per search, both built here from the house's own tokens
/// (`SearchText.tokens`) rather than by PostgreSQL's text parser.
///
/// Why not `to_tsvector('simple', …)` and `websearch_to_tsquery`: PostgreSQL's parser has token
/// types of its own (host names, e-mail addresses, URLs, decimal numbers, hyphenated words)
/// and does not split scripts written without spaces, so its words would differ from what the
/// in-memory reference and SQLite (`unicode61`) call a word; and `websearch_to_tsquery` reads
/// the user's text as syntax. Here each word is lower-cased, its Latin, Greek and Cyrillic
/// diacritics removed (as SQLite's `remove_diacritics`), and written as a quoted lexeme with its
/// position, so a phrase is `<->` between positions and no user text is ever query syntax.
enum PostgresSearchText {
  /// PostgreSQL's largest lexeme position; later words share it (as `to_tsvector` does).
  static let maxPosition = 16_383
  /// Longer words are not indexed (PostgreSQL refuses lexemes of 2 KiB and more).
  static let maxLexemeBytes = 2000

  /// The `tsvector` input text of a message: every word with its positions.
  static func vector(_ text: String) -> String {
    var positions: [String: [Int]] = [:]
    var order: [String] = []
    for (index, word) in words(text).enumerated() where word.utf8.count <= maxLexemeBytes {
      if positions[word] == nil { order.append(word) }
      positions[word, default: []].append(min(index + 1, maxPosition))
    }
    return order.map { word in
      quoted(word) + ":" + positions[word, default: []].map(String.init).joined(separator: ",")
    }.joined(separator: " ")
  }

  /// The `tsquery` input text of parsed search terms: each term a phrase of its words (the
  /// last one a prefix for `word*`), all included terms required, excluded ones negated.
  static func query(_ terms: [SearchTerm]) -> String {
    func phrase(_ term: SearchTerm) -> String {
      let words = term.tokens.map(fold)
      let parts = words.enumerated().map { index, word in
        quoted(word) + (term.isPrefix && index == words.count - 1 ? ":*" : "")
      }
      return "(" + parts.joined(separator: " <-> ") + ")"
    }
    let included = terms.filter { !$0.isExcluded }.map(phrase)
    let excluded = terms.filter(\.isExcluded).map { "!" + phrase($0) }
    return (included + excluded).joined(separator: " & ")
  }

  /// The words of `text` as they are indexed.
  static func words(_ text: String) -> [String] {
    SearchText.tokens(text).map(fold)
  }

  /// A lower-case token without the combining diacritical marks (U+0300–U+036F) of its
  /// canonical decomposition: `café` is `cafe`, `fällt` is `fallt`; marks of other scripts
  /// (kana voicing, Indic vowels) stay. A token that would be left empty stays as it is.
  static func fold(_ token: String) -> String {
    let decomposed = token.decomposedStringWithCanonicalMapping
    var kept = String.UnicodeScalarView()
    for scalar in decomposed.unicodeScalars where !(0x300...0x36F).contains(scalar.value) {
      kept.append(scalar)
    }
    let folded = String(kept).precomposedStringWithCanonicalMapping
    return folded.isEmpty ? token : folded
  }

  /// A lexeme in single quotes, with `'` doubled and `\` escaped, so it is one lexeme whatever
  /// it holds.
  private static func quoted(_ word: String) -> String {
    var out = "'"
    for character in word.unicodeScalars {
      switch character {
      case "'": out += "''"
      case "\\": out += "\\\\"
      default: out.unicodeScalars.append(character)
      }
    }
    return out + "'"
  }
}
