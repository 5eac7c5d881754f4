/// Byte constants the parser, serializer and framer share, so no code compares against
/// `Character` or `String` in a hot path.
enum ASCII {
  static let nul: UInt8 = 0x00
  static let bel: UInt8 = 0x07
  static let lf: UInt8 = 0x0A
  static let cr: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let bang: UInt8 = 0x21  // !
  static let hash: UInt8 = 0x23  // #
  static let comma: UInt8 = 0x2C  // ,
  static let hyphen: UInt8 = 0x2D  // -
  static let dot: UInt8 = 0x2E  // .
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
  static let colon: UInt8 = 0x3A  // :
  static let semicolon: UInt8 = 0x3B  // ;
  static let equals: UInt8 = 0x3D  // =
  static let question: UInt8 = 0x3F  // ?
  static let at: UInt8 = 0x40  // @
  static let upperA: UInt8 = 0x41
  static let upperZ: UInt8 = 0x5A
  static let backslash: UInt8 = 0x5C  // \
  static let lowerA: UInt8 = 0x61
  static let lowerN: UInt8 = 0x6E
  static let lowerR: UInt8 = 0x72
  static let lowerS: UInt8 = 0x73
  static let lowerZ: UInt8 = 0x7A
  static let asterisk: UInt8 = 0x2A  // *
  static let plus: UInt8 = 0x2B  // +
  static let slash: UInt8 = 0x2F  // /

  static func isLetter(_ b: UInt8) -> Bool {
    (b >= upperA && b <= upperZ) || (b >= lowerA && b <= lowerZ)
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= nine }
}

/// Small helpers for building Strings from and into raw UTF-8 bytes without going through
/// `Character`.
enum UTF8Bytes {
  /// Makes a String from bytes already known to be valid UTF-8.
  @inline(__always)
  static func string(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: p[range]), as: UTF8.self)
  }

  /// Appends the UTF-8 bytes of `s` in one copy when the string is contiguous.
  @inline(__always)
  static func append(_ s: String, to buffer: inout [UInt8]) {
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { buffer.append(contentsOf: $0) }
    if done == nil { buffer.append(contentsOf: s.utf8) }
  }

  /// Whether any byte of `s` satisfies `predicate`, scanning a pointer when possible.
  @inline(__always)
  static func contains(_ s: String, where predicate: (UInt8) -> Bool) -> Bool {
    if let found = s.utf8.withContiguousStorageIfAvailable({ p in
      for b in p where predicate(b) { return true }
      return false
    }) {
      return found
    }
    return s.utf8.contains(where: predicate)
  }

  /// Calls `body` with the contiguous bytes of `bytes`, copying only when they are not already
  /// contiguous.
  @inline(__always)
  static func withBytes<C: Collection<UInt8>, R>(
    _ bytes: C, _ body: (UnsafeBufferPointer<UInt8>) -> R
  ) -> R {
    if let r = bytes.withContiguousStorageIfAvailable(body) { return r }
    return Array(bytes).withUnsafeBufferPointer(body)
  }
}
