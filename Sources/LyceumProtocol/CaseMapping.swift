/// How nicknames and channel names compare case-insensitively, advertised as `CASEMAPPING`.
///
/// `rfc1459` (Lyceum's default) folds `A-Z` to `a-z` and also `[]\~` to `{}|^`, the
/// Scandinavian heritage of IRC; `ascii` folds only `A-Z`. Bytes outside ASCII are never
/// changed, so folding is byte-wise and never allocates when nothing changes.
public enum CaseMapping: String, Sendable {
  case rfc1459
  case ascii

  /// The folded (lower-case) form of `s`, used as the key for nick and channel lookups.
  public func fold(_ s: String) -> String {
    var needsChange = false
    for b in s.utf8 where fold(byte: b) != b {
      needsChange = true
      break
    }
    guard needsChange else { return s }
    let count = s.utf8.count
    return String(unsafeUninitializedCapacity: count) { out in
      var w = 0
      for b in s.utf8 {
        out[w] = fold(byte: b)
        w += 1
      }
      return w
    }
  }

  /// Whether `a` and `b` are equal under this mapping, without allocating.
  public func equals(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    for (x, y) in zip(a.utf8, b.utf8) where fold(byte: x) != fold(byte: y) { return false }
    return true
  }

  /// One folded byte.
  @inline(__always)
  public func fold(byte b: UInt8) -> UInt8 {
    if b >= ASCII.upperA && b <= ASCII.upperZ { return b | 0x20 }
    // '[' '\' ']' (0x5B-0x5D) and '~' (0x7E) are the upper-case forms of '{' '|' '}' and '^'.
    if self == .rfc1459 {
      if b >= 0x5B && b <= 0x5D { return b | 0x20 }
      if b == 0x7E { return 0x5E }
    }
    return b
  }
}
