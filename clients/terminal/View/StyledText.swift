/// A run of text drawn in one style.
public struct StyledSpan: Hashable, Sendable {
  /// The text, already sanitized (no control characters).
  public var text: String
  /// How `text` is drawn.
  public var style: TextStyle

  /// Creates a span of `text` in `style`.
  public init(text: String, style: TextStyle = .plain) {
    self.text = text
    self.style = style
  }
}

/// Text with styles: what the sanitizer produces from server text, what the wrapper cuts into
/// rows and what the grid draws.
///
/// Spans are kept normalized: no empty spans and no two neighbours with the same style, so that
/// two values showing the same thing compare equal.
public struct StyledText: Hashable, Sendable {
  /// The runs, in order.
  public private(set) var spans: [StyledSpan]

  /// Creates empty text.
  public init() {
    spans = []
  }

  /// Creates text from `spans`, dropping empty ones and merging neighbours of equal style.
  public init(spans: [StyledSpan]) {
    self.spans = []
    for span in spans { append(span) }
  }

  /// Creates text made of `plain` in one `style`. The string is used as is: pass server text
  /// through `TextSanitizer` first.
  public init(plain: String, style: TextStyle = .plain) {
    spans = plain.isEmpty ? [] : [StyledSpan(text: plain, style: style)]
  }

  /// The text without styles.
  public var plainText: String {
    var result = ""
    for span in spans { result += span.text }
    return result
  }

  /// The cells the text takes on one terminal row (see `DisplayWidth`).
  public var width: Int {
    var total = 0
    for span in spans { total += DisplayWidth.of(span.text) }
    return total
  }

  /// Whether there is no text at all.
  public var isEmpty: Bool { spans.isEmpty }

  /// Appends `span`, merging it into the last span when the styles are equal.
  public mutating func append(_ span: StyledSpan) {
    guard !span.text.isEmpty else { return }
    if let last = spans.last, last.style == span.style {
      spans[spans.count - 1].text += span.text
    } else {
      spans.append(span)
    }
  }

  /// Appends `text` in `style`.
  public mutating func append(_ text: String, style: TextStyle = .plain) {
    append(StyledSpan(text: text, style: style))
  }

  /// Appends every span of `other`.
  public mutating func append(_ other: StyledText) {
    for span in other.spans { append(span) }
  }

  /// The concatenation of `lhs` and `rhs`.
  public static func + (lhs: StyledText, rhs: StyledText) -> StyledText {
    var result = lhs
    result.append(rhs)
    return result
  }

  /// Appends `rhs` to `lhs`.
  public static func += (lhs: inout StyledText, rhs: StyledText) {
    lhs.append(rhs)
  }
}
