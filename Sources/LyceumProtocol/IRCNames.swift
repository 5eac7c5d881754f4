/// The nickname and channel-name rules Lyceum enforces (`NICKLEN`, `CHANNELLEN`,
/// `CHANTYPES=#`).
public enum IRCNames {
  /// A nick starts with a letter or one of ``[]\`_^{|}`` and goes on with those, digits and
  /// `-`; it is non-empty and at most `maxLength` bytes. These are the characters every client
  /// accepts and that cannot be confused with a channel, a prefix or a mask.
  public static func isValidNick(_ s: String, maxLength: Int) -> Bool {
    let bytes = s.utf8
    guard let first = bytes.first, bytes.count <= maxLength else { return false }
    guard ASCII.isLetter(first) || isNickSpecial(first) else { return false }
    for b in bytes.dropFirst()
    where !(ASCII.isLetter(b) || isNickSpecial(b) || ASCII.isDigit(b) || b == ASCII.hyphen) {
      return false
    }
    return true
  }

  /// A channel name starts with `#`, has at least one more byte, is at most `maxLength` bytes,
  /// and contains no space, comma, BEL, NUL, CR or LF (the bytes that would split a list or a
  /// line). Other UTF-8 is allowed.
  public static func isValidChannel(_ s: String, maxLength: Int) -> Bool {
    let bytes = s.utf8
    guard bytes.first == ASCII.hash, bytes.count >= 2, bytes.count <= maxLength else {
      return false
    }
    for b in bytes {
      switch b {
      case ASCII.space, ASCII.comma, ASCII.bel, ASCII.nul, ASCII.cr, ASCII.lf: return false
      default: continue
      }
    }
    return true
  }

  /// ``[]\`_^{|}``
  @inline(__always)
  private static func isNickSpecial(_ b: UInt8) -> Bool {
    switch b {
    case 0x5B, 0x5D, 0x5C, 0x60, 0x5F, 0x5E, 0x7B, 0x7C, 0x7D: return true
    default: return false
    }
  }
}
