/// IRCv3 message-tags value escaping: `;` ↔ `\:`, space ↔ `\s`, `\` ↔ `\\`, CR ↔ `\r`,
/// LF ↔ `\n`.
///
/// `IRCMessage` keeps tag values unescaped; these functions are the only place the wire form
/// is produced or read. Unescaping follows the spec's lenient rules: an unknown escape `\x`
/// becomes `x` and a trailing lone backslash is dropped.
public enum TagEscaping {
  /// The wire form of a tag value.
  public static func escape(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 8)
    appendEscaped(s, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The value a wire-form tag value stands for.
  public static func unescape(_ s: Substring) -> String {
    UTF8Bytes.withBytes(s.utf8) { unescape(buffer: $0, 0..<$0.count) }
  }

  /// Appends the escaped form of `value` to `buffer` with no temporary String; a value that
  /// needs no escaping is copied in one go.
  static func appendEscaped(_ value: String, to buffer: inout [UInt8]) {
    if !UTF8Bytes.contains(value, where: needsEscape) {
      UTF8Bytes.append(value, to: &buffer)
      return
    }
    for b in value.utf8 {
      switch b {
      case ASCII.semicolon:
        buffer.append(ASCII.backslash)
        buffer.append(ASCII.colon)
      case ASCII.space:
        buffer.append(ASCII.backslash)
        buffer.append(ASCII.lowerS)
      case ASCII.backslash:
        buffer.append(ASCII.backslash)
        buffer.append(ASCII.backslash)
      case ASCII.cr:
        buffer.append(ASCII.backslash)
        buffer.append(ASCII.lowerR)
      case ASCII.lf:
        buffer.append(ASCII.backslash)
        buffer.append(ASCII.lowerN)
      default:
        buffer.append(b)
      }
    }
  }

  @inline(__always)
  static func needsEscape(_ b: UInt8) -> Bool {
    b == ASCII.semicolon || b == ASCII.space || b == ASCII.backslash || b == ASCII.cr
      || b == ASCII.lf
  }

  /// Unescapes `p[range]`; a value without backslashes is turned into a String directly.
  static func unescape(buffer p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    var firstEscape = range.upperBound
    for i in range where p[i] == ASCII.backslash {
      firstEscape = i
      break
    }
    if firstEscape == range.upperBound { return UTF8Bytes.string(p, range) }
    return String(unsafeUninitializedCapacity: range.count) { out in
      var w = 0
      for i in range.lowerBound..<firstEscape {
        out[w] = p[i]
        w += 1
      }
      var i = firstEscape
      while i < range.upperBound {
        let b = p[i]
        i += 1
        guard b == ASCII.backslash else {
          out[w] = b
          w += 1
          continue
        }
        guard i < range.upperBound else { break }  // trailing lone backslash: dropped
        let e = p[i]
        i += 1
        switch e {
        case ASCII.colon: out[w] = ASCII.semicolon
        case ASCII.lowerS: out[w] = ASCII.space
        case ASCII.lowerR: out[w] = ASCII.cr
        case ASCII.lowerN: out[w] = ASCII.lf
        default: out[w] = e  // `\\` and unknown escapes keep the escaped byte
        }
        w += 1
      }
      return w
    }
  }
}
