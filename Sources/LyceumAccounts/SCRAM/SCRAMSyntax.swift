import LyceumProtocol

/// The pieces of RFC 5802's message syntax that both sides of SCRAM share: attribute lists,
/// the `saslname` escaping of user names, nonce characters, and the SASLprep subset Lyceum applies.
enum SCRAMSyntax {
  /// `a=1,b=2` as (attribute letter, value) pairs in order, or nil if any part is not `x=…` with
  /// one ASCII letter before the `=`.
  static func attributes(_ text: Substring) -> [(name: Character, value: Substring)]? {
    var result: [(name: Character, value: Substring)] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard part.count >= 2, let name = part.first, name.isASCII, name.isLetter,
        part[part.index(after: part.startIndex)] == "="
      else { return nil }
      result.append((name, part.dropFirst(2)))
    }
    return result
  }

  /// `saslname` escaping (RFC 5802 §5.1): `,` becomes `=2C` and `=` becomes `=3D`.
  static func escapeName(_ name: String) -> String {
    var out = ""
    for character in name {
      switch character {
      case ",": out += "=2C"
      case "=": out += "=3D"
      default: out.append(character)
      }
    }
    return out
  }

  /// Undoes `escapeName`; nil for any other `=` sequence, which the RFC says must fail.
  static func unescapeName(_ text: Substring) -> String? {
    var out = ""
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      if character == "=" {
        let end = text.index(index, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex
        switch text[index..<end] {
        case "=2C": out.append(",")
        case "=3D": out.append("=")
        default: return nil
        }
        index = end
      } else {
        out.append(character)
        index = text.index(after: index)
      }
    }
    return out
  }

  /// A nonce is printable ASCII except `,` (RFC 5802 §7 `printable`), and not empty.
  static func isValidNonce(_ text: Substring) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: ",") }
  }

  /// The part of SASLprep (RFC 4013) Lyceum enforces: non-empty, and no control characters
  /// (C0, DEL, C1) or the NUL that would cut a C string. Full normalisation is not applied, so
  /// non-ASCII passwords must be typed in the same Unicode form everywhere.
  static func isAcceptableName(_ text: String) -> Bool {
    !text.isEmpty
      && text.unicodeScalars.allSatisfy { scalar in
        !(scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F))
      }
  }

  /// Fresh nonce text: 18 random bytes in base64 (24 characters, never a `,`).
  static func randomNonce() -> String {
    Base64.encode(Crypto.randomBytes(18))
  }

  /// `a XOR b` for equal-length byte arrays.
  static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
    zip(a, b).map { $0 ^ $1 }
  }
}
