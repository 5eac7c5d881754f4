/// Whether a string is usable as a server name or client hostname.
///
/// The rules of RFC 952/1123 as IRC uses them: dot-separated labels of letters, digits and
/// hyphens, 1 to 63 bytes each, not starting or ending with a hyphen; at least one dot (a bare
/// `irc` or `com` is refused); one trailing dot allowed; at most 253 bytes without it.
/// Internationalized names must be given in punycode (`xn--`).
public enum HostnameValidation {
  public static func isValid(_ hostname: String) -> Bool {
    var bytes = Array(hostname.utf8)
    guard bytes.contains(ASCII.dot) else { return false }
    if bytes.last == ASCII.dot { bytes.removeLast() }
    guard !bytes.isEmpty && bytes.count <= 253 else { return false }
    var labelStart = 0
    for (i, b) in bytes.enumerated() {
      if b == ASCII.dot {
        guard isValidLabel(bytes[labelStart..<i]) else { return false }
        labelStart = i + 1
      } else if !(ASCII.isLetter(b) || ASCII.isDigit(b) || b == ASCII.hyphen) {
        return false
      }
    }
    return isValidLabel(bytes[labelStart...])
  }

  private static func isValidLabel(_ label: ArraySlice<UInt8>) -> Bool {
    guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
    return first != ASCII.hyphen && last != ASCII.hyphen
  }
}
