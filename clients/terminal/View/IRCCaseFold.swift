/// IRC's `rfc1459` case mapping, the server's default: ASCII letters fold to lower case and
/// `[]\~` fold to `{}|^` (they were the upper-case forms in the Scandinavian ASCII of 1993).
/// Non-ASCII characters are left alone, as servers do.
enum IRCCaseFold {
  /// `text` folded.
  static func fold(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      scalars.append(fold(scalar))
    }
    return String(scalars)
  }

  static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar {
    case "A"..."Z": return Unicode.Scalar(scalar.value + 0x20) ?? scalar
    case "[": return "{"
    case "]": return "}"
    case "\\": return "|"
    case "~": return "^"
    default: return scalar
    }
  }

  /// Whether `text` starts with `prefix`, folded.
  static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
    var textScalars = text.unicodeScalars.makeIterator()
    for scalar in prefix.unicodeScalars {
      guard let other = textScalars.next(), fold(other) == fold(scalar) else { return false }
    }
    return true
  }
}
