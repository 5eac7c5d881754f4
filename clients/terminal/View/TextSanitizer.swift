/// Turns text from the server into `StyledText` that is safe to put on a terminal.
///
/// Server text is untrusted: a raw escape or control character could move the cursor, change
/// the terminal's state or hide text. So:
/// - mIRC formatting codes become styles: `\u{02}` bold, `\u{03}` colours (`fg[,bg]`, one or two
///   digits each, 99 = default, none = reset colours), `\u{04}` hex colours (skipped: the codes
///   are consumed, the colours unchanged), `\u{0F}` reset, `\u{11}` monospace (consumed; a
///   terminal is monospace already), `\u{16}` reverse, `\u{1D}` italic, `\u{1E}` strikethrough,
///   `\u{1F}` underline. Each attribute code toggles.
/// - A tab becomes `tabWidth` spaces (a fixed count: the column a message starts at depends on
///   the layout, so real tab stops would be arbitrary).
/// - Every other C0 control becomes its visible Control Picture (`\u{1B}` shows as "␛"), DEL shows
///   as "␡", a C1 control as "�": what was sent stays visible, but inert.
/// - Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) are dropped, so that a
///   message cannot reorder what follows it on the row (the "Trojan Source" trick); line and
///   paragraph separators become spaces.
public enum TextSanitizer {
  /// The spaces a tab becomes, by default.
  public static let defaultTabWidth = 4

  /// Parses `raw` server text into styled, sanitized text, starting from (and resetting to)
  /// `base`.
  public static func parse(
    _ raw: String, base: TextStyle = .plain, tabWidth: Int = defaultTabWidth
  ) -> StyledText {
    var parser = FormattingParser(base: base, tabWidth: max(0, tabWidth))
    parser.run(Array(raw.unicodeScalars))
    return parser.output
  }

  /// `raw` with the formatting codes removed and controls made visible: for places that show
  /// plain text (the terminal's title, notifications, completions).
  public static func plain(_ raw: String, tabWidth: Int = defaultTabWidth) -> String {
    parse(raw, tabWidth: tabWidth).plainText
  }
}

/// The state of one parse: the current style and the text collected in it.
private struct FormattingParser {
  let base: TextStyle
  let tabWidth: Int
  var style: TextStyle
  var pending = String.UnicodeScalarView()
  var output = StyledText()

  init(base: TextStyle, tabWidth: Int) {
    self.base = base
    self.tabWidth = tabWidth
    self.style = base
  }

  mutating func run(_ scalars: [Unicode.Scalar]) {
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      switch scalar.value {
      case 0x02: change { $0.bold.toggle() }
      case 0x1D: change { $0.italic.toggle() }
      case 0x1F: change { $0.underline.toggle() }
      case 0x1E: change { $0.strikethrough.toggle() }
      case 0x16: change { $0.reverse.toggle() }
      case 0x11: break
      case 0x0F: change { [base] in $0 = base }
      case 0x03: index = colour(scalars, from: index)
      case 0x04: index = hexColour(scalars, from: index)
      case 0x09: pending.append(contentsOf: repeatElement(" ", count: tabWidth))
      case 0x00..<0x20: pending.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
      case 0x7F: pending.append("\u{2421}")
      case 0x80...0x9F: pending.append("\u{FFFD}")
      case 0x202A...0x202E, 0x2066...0x2069: break
      case 0x2028, 0x2029: pending.append(" ")
      default: pending.append(scalar)
      }
    }
    flush()
  }

  /// Ends the current span and applies `update` to the style of the next one.
  mutating func change(_ update: (inout TextStyle) -> Void) {
    flush()
    update(&style)
  }

  mutating func flush() {
    guard !pending.isEmpty else { return }
    output.append(String(pending), style: style)
    pending = String.UnicodeScalarView()
  }

  /// Parses the arguments of `\u{03}` starting at `index`; returns where the text resumes.
  mutating func colour(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
    guard let (foreground, afterForeground) = number(scalars, at: index) else {
      change { [base] in
        $0.foreground = base.foreground
        $0.background = base.background
      }
      return index
    }
    var resume = afterForeground
    var background: Int?
    if resume < scalars.count, scalars[resume] == ",",
      let (value, afterBackground) = number(scalars, at: resume + 1)
    {
      background = value
      resume = afterBackground
    }
    change { [base] in
      $0.foreground = foreground == 99 ? base.foreground : TerminalColor.mirc(foreground)
      if let background {
        $0.background = background == 99 ? base.background : TerminalColor.mirc(background)
      }
    }
    return resume
  }

  /// One or two ASCII digits at `index`, with the index after them.
  func number(_ scalars: [Unicode.Scalar], at index: Int) -> (Int, Int)? {
    guard let first = digit(scalars, at: index) else { return nil }
    guard let second = digit(scalars, at: index + 1) else { return (first, index + 1) }
    return (first * 10 + second, index + 2)
  }

  func digit(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
    guard index < scalars.count, ("0"..."9").contains(scalars[index]) else { return nil }
    return Int(scalars[index].value) - 0x30
  }

  /// Skips the arguments of `\u{04}` (`RRGGBB[,RRGGBB]`); with none, resets the colours.
  mutating func hexColour(_ scalars: [Unicode.Scalar], from index: Int) -> Int {
    guard let afterForeground = hexTriplet(scalars, at: index) else {
      change { [base] in
        $0.foreground = base.foreground
        $0.background = base.background
      }
      return index
    }
    if afterForeground < scalars.count, scalars[afterForeground] == ",",
      let afterBackground = hexTriplet(scalars, at: afterForeground + 1)
    {
      return afterBackground
    }
    return afterForeground
  }

  /// The index after six hex digits at `index`, or `nil` if there are not six.
  func hexTriplet(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
    guard index + 6 <= scalars.count else { return nil }
    for offset in 0..<6 where !scalars[index + offset].properties.isASCIIHexDigit {
      return nil
    }
    return index + 6
  }
}
