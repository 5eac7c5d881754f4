/// One term of a search text: a word or a quoted phrase, possibly a prefix, possibly excluded.
///
/// `tokens` are the term's words as `SearchText.tokens(_:)` cuts them (lower case; every
/// character of a script written without spaces is a token of its own), so a term matches
/// where its tokens appear next to each other in this order.
public struct SearchTerm: Sendable, Hashable {
  public var tokens: [String]
  /// `word*`: the last token may be the start of a longer word.
  public var isPrefix: Bool
  /// `-word`: messages containing the term are left out.
  public var isExcluded: Bool

  public init(tokens: [String], isPrefix: Bool = false, isExcluded: Bool = false) {
    self.tokens = tokens
    self.isPrefix = isPrefix
    self.isExcluded = isExcluded
  }
}

/// Why a search text was refused; the core answers `FAIL SEARCH INVALID_PARAMS text`.
public enum SearchSyntaxError: Error, Equatable, Sendable {
  /// A `"` without its closing `"`.
  case unbalancedQuote
  /// Nothing to look for: only punctuation, or only excluded terms.
  case noTerms
  /// More than `SearchText.maxTerms` terms.
  case tooManyTerms
  /// A prefix (`word*`) shorter than `SearchText.minPrefixLength` characters.
  case prefixTooShort

  /// The description of the `FAIL` reply.
  public var description: String {
    switch self {
    case .unbalancedQuote: "Unbalanced quote in the search text"
    case .noTerms: "The search text has no word to look for (excluded words alone do not count)"
    case .tooManyTerms: "Too many words in the search text (at most \(SearchText.maxTerms))"
    case .prefixTooShort:
      "A prefix search (word*) needs at least \(SearchText.minPrefixLength) letters"
    }
  }
}
