extension IRCMessage {
  /// The wire form of this message, ending in CRLF.
  ///
  /// Tag values are escaped; a tag whose value is nil or empty is written as a bare key. The
  /// last parameter is written as a trailing parameter (`:`-prefixed) whenever the message has
  /// two or more parameters, and otherwise only when it has to be (empty, contains a space or
  /// starts with `:`). Both forms are equal to a correct parser, but the colon before the text
  /// of `PRIVMSG #room :hi` or `353 … :@ada` is what simple bots and scripts look for, and what
  /// InspIRCd and ngircd send. An earlier parameter that no wire form can
  /// carry (empty, with a space, or starting with `:`) is written as `*`, as ergo does for
  /// echoed input: a reply such as `696 nick #c l  :…` would shift every later parameter, so
  /// no caller can produce one. So that no caller can inject a second line, any CR, LF or NUL left after tag
  /// escaping (in a key, the source, the command or a parameter) is written as a space.
  public func serialized() -> [UInt8] {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(estimatedSerializedCount)
    appendSerialized(to: &buffer)
    return buffer
  }

  /// Appends the wire form (with CRLF) to `buffer`; the fast path for send queues.
  public func appendSerialized(to buffer: inout [UInt8]) {
    let start = buffer.count
    if !tags.isEmpty {
      buffer.append(ASCII.at)
      for (k, tag) in tags.enumerated() {
        if k > 0 { buffer.append(ASCII.semicolon) }
        UTF8Bytes.append(tag.key, to: &buffer)
        if let value = tag.value, !value.isEmpty {
          buffer.append(ASCII.equals)
          TagEscaping.appendEscaped(value, to: &buffer)
        }
      }
      buffer.append(ASCII.space)
    }
    if let source {
      buffer.append(ASCII.colon)
      UTF8Bytes.append(source, to: &buffer)
      buffer.append(ASCII.space)
    }
    UTF8Bytes.append(command, to: &buffer)
    let last = params.count - 1
    for (k, param) in params.enumerated() {
      buffer.append(ASCII.space)
      if k < last && !Self.canBeMiddle(param) {
        buffer.append(ASCII.asterisk)
        continue
      }
      if k == last && (k > 0 || Self.needsTrailing(param)) {
        buffer.append(ASCII.colon)
      }
      UTF8Bytes.append(param, to: &buffer)
    }
    Self.neutralizeLineBreaks(&buffer, from: start)
    buffer.append(ASCII.cr)
    buffer.append(ASCII.lf)
  }

  /// The wire form without CRLF, for tests and logs.
  public var serializedString: String {
    var buffer = serialized()
    buffer.removeLast(2)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// An upper bound of the serialized size when no tag value needs escaping.
  var estimatedSerializedCount: Int {
    var count = command.utf8.count + 2
    if let source { count += source.utf8.count + 2 }
    for param in params { count += param.utf8.count + 2 }
    for tag in tags { count += tag.key.utf8.count + (tag.value?.utf8.count ?? 0) + 2 }
    return count
  }

  /// Whether `param`, as the last parameter, must be written with a leading `:`: when it is
  /// empty, starts with `:`, or has a space (or a CR, LF or NUL, which are written as spaces).
  static func needsTrailing(_ param: String) -> Bool {
    guard let first = param.utf8.first else { return true }
    if first == ASCII.colon { return true }
    // CR, LF and NUL are written as spaces.
    return UTF8Bytes.contains(param) {
      $0 == ASCII.space || $0 == ASCII.cr || $0 == ASCII.lf || $0 == ASCII.nul
    }
  }

  /// Whether `param` can be written as a parameter other than the last: non-empty, without a
  /// space, and not starting with `:`.
  static func canBeMiddle(_ param: String) -> Bool {
    guard let first = param.utf8.first, first != ASCII.colon else { return false }
    return !UTF8Bytes.contains(param) { $0 == ASCII.space }
  }

  /// Replaces CR, LF and NUL after `from` with spaces; escaped tag values contain none, so this
  /// only touches what a caller should not have put there.
  static func neutralizeLineBreaks(_ buffer: inout [UInt8], from: Int) {
    buffer.withUnsafeMutableBufferPointer { p in
      for i in from..<p.count {
        let b = p[i]
        if b == ASCII.cr || b == ASCII.lf || b == ASCII.nul { p[i] = ASCII.space }
      }
    }
  }
}
