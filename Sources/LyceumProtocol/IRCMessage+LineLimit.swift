extension IRCMessage {
  /// The most bytes a line may have after its tags, without CRLF: RFC 1459's 512 less the
  /// CRLF. Every client may rely on it, so relayed text is cut to keep within it.
  public static let maximumBodyBytes = 510

  /// The length in bytes of this message's wire form without tags and without CRLF.
  public var bodyByteCount: Int {
    var untagged = self
    untagged.tags = []
    return untagged.serialized().count - 2
  }

  /// This message with its last parameter cut so that its wire form, without tags and CRLF,
  /// fits in `limit` bytes.
  ///
  /// A server relays a client's text with a `:nick!user@host` source the client did not
  /// send, so a line that fit when it came in may not fit when it goes out; clients such as
  /// ii then cut it themselves and lose its end. Cutting once, before the line is relayed,
  /// echoed and kept, makes every copy (and every later replay) the same. The cut is on a
  /// character boundary (`String.prefixFitting(utf8Bytes:)`), so it may take a few bytes
  /// more than needed. A message already within the limit, or without parameters, is
  /// returned unchanged.
  public func cutToFit(_ limit: Int = maximumBodyBytes) -> IRCMessage {
    guard let last = params.last else { return self }
    let excess = bodyByteCount - limit
    guard excess > 0 else { return self }
    var cut = self
    cut.params[params.count - 1] = last.prefixFitting(utf8Bytes: max(last.utf8.count - excess, 0))
    return cut
  }
}

extension String {
  /// The longest prefix of at most `maxBytes` bytes of UTF-8 that ends between two
  /// characters (grapheme clusters), so that neither a code point nor a character such as 👩‍🔬 or
  /// `é` written as `e` and a combining accent is split. When even the first character is
  /// longer than `maxBytes` (a long run of combining marks), the cut falls between code
  /// points instead, so the result is never empty for want of a boundary.
  public func prefixFitting(utf8Bytes maxBytes: Int) -> String {
    guard utf8.count > maxBytes else { return self }
    var end = startIndex
    while end < endIndex {
      let next = index(after: end)
      if utf8.distance(from: startIndex, to: next) > maxBytes { break }
      end = next
    }
    if end == startIndex {
      var used = 0
      var scalars = String.UnicodeScalarView()
      for scalar in unicodeScalars {
        used += UTF8.width(scalar)
        if used > maxBytes { break }
        scalars.append(scalar)
      }
      return String(scalars)
    }
    return String(self[..<end])
  }
}
