extension IRCMessage {
  /// Parses one line, given WITHOUT its CR/LF.
  ///
  /// Follows RFC 1459 as practised: one or more spaces separate the source, the command and the
  /// parameters; a parameter starting with `:` takes the rest of the line. The command keeps
  /// its case. Leading spaces are skipped. Tag keys must be `[+][vendor/]name` (letters, digits,
  /// `-`, `.`, `/`). Tag values are unescaped (see `TagEscaping`); `key=` reads as a tag without a
  /// value; when a key repeats, the last value wins (IRCv3 message-tags) at the position of the
  /// first occurrence. The whole line must be UTF-8: a fast check (eight ASCII bytes at a time)
  /// precedes one splitting pass over the bytes; no `Character`s, one String per atom.
  public init(parsing line: some Collection<UInt8>) throws(IRCParseError) {
    let result = UTF8Bytes.withBytes(line) { IRCMessageParser.parse($0) }
    self = try result.get()
  }

  /// Parses one line, given WITHOUT its CR/LF. See `init(parsing:)` for bytes.
  public init(parsing line: String) throws(IRCParseError) {
    try self.init(parsing: line.utf8)
  }
}

/// The single-pass line parser behind `IRCMessage.init(parsing:)`.
enum IRCMessageParser {
  /// Above this many tags, duplicate detection switches from a linear scan to a dictionary, so
  /// a line full of tags cannot make parsing quadratic.
  static let linearTagLimit = 16

  static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Result<IRCMessage, IRCParseError> {
    let n = p.count
    guard n > 0 else { return .failure(.empty) }
    guard UTF8Validation.isValid(buffer: p) else { return .failure(.invalidUTF8) }
    guard !p.contains(where: { $0 == ASCII.nul || $0 == ASCII.cr || $0 == ASCII.lf }) else {
      return .failure(.forbiddenCharacter)
    }
    var i = skipSpaces(p, 0)
    var tags: [IRCTag] = []
    var sawPrefix = false
    if i < n && p[i] == ASCII.at {
      var end = i + 1
      while end < n && p[end] != ASCII.space { end += 1 }
      guard let parsed = parseTags(p, (i + 1)..<end) else { return .failure(.invalidTags) }
      tags = parsed
      sawPrefix = true
      i = end
    }
    i = skipSpaces(p, i)
    var source: String?
    if i < n && p[i] == ASCII.colon {
      let start = i + 1
      i = tokenEnd(p, start)
      source = UTF8Bytes.string(p, start..<i)
      sawPrefix = true
      i = skipSpaces(p, i)
    }
    guard i < n else { return .failure(sawPrefix ? .missingCommand : .empty) }
    let commandStart = i
    i = tokenEnd(p, i)
    let command = UTF8Bytes.string(p, commandStart..<i)
    var params: [String] = []
    params.reserveCapacity(4)  // most messages have few parameters; saves regrowing
    while true {
      i = skipSpaces(p, i)
      guard i < n else { break }
      if p[i] == ASCII.colon {
        params.append(UTF8Bytes.string(p, (i + 1)..<n))
        break
      }
      let start = i
      i = tokenEnd(p, i)
      params.append(UTF8Bytes.string(p, start..<i))
    }
    return .success(IRCMessage(tags: tags, source: source, command: command, params: params))
  }

  @inline(__always)
  static func skipSpaces(_ p: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
    var i = from
    while i < p.count && p[i] == ASCII.space { i += 1 }
    return i
  }

  @inline(__always)
  static func tokenEnd(_ p: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int {
    var i = from
    while i < p.count && p[i] != ASCII.space { i += 1 }
    return i
  }

  /// Parses `key[=value];...` in `range`; nil when the section is empty or a key is invalid.
  /// Empty segments (`a;;b`, a trailing `;`) are skipped.
  static func parseTags(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [IRCTag]? {
    guard !range.isEmpty else { return nil }
    var tags: [IRCTag] = []
    tags.reserveCapacity(4)
    var index: [String: Int] = [:]
    var segmentStart = range.lowerBound
    while segmentStart <= range.upperBound {
      var segmentEnd = segmentStart
      var equals = -1
      while segmentEnd < range.upperBound && p[segmentEnd] != ASCII.semicolon {
        if equals < 0 && p[segmentEnd] == ASCII.equals { equals = segmentEnd }
        segmentEnd += 1
      }
      if segmentEnd > segmentStart {
        let keyEnd = equals < 0 ? segmentEnd : equals
        guard isValidKey(p, segmentStart..<keyEnd) else { return nil }
        let key = UTF8Bytes.string(p, segmentStart..<keyEnd)
        var value: String?
        if equals >= 0 && equals + 1 < segmentEnd {
          let unescaped = TagEscaping.unescape(buffer: p, (equals + 1)..<segmentEnd)
          value = unescaped.isEmpty ? nil : unescaped
        }
        insert(IRCTag(key, value), into: &tags, index: &index)
      }
      segmentStart = segmentEnd + 1
    }
    return tags.isEmpty ? nil : tags
  }

  /// Whether `p[range]` is a tag key: an optional `+`, then letters, digits, `-`, `.` and `/`
  /// (`[+][vendor/]name`, the vendor being a hostname). Anything else could not be relayed
  /// safely, so the line is refused.
  static func isValidKey(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var start = range.lowerBound
    if start < range.upperBound && p[start] == ASCII.plus { start += 1 }
    guard start < range.upperBound else { return false }
    for k in start..<range.upperBound {
      let b = p[k]
      guard
        ASCII.isLetter(b) || ASCII.isDigit(b) || b == ASCII.hyphen || b == ASCII.dot
          || b == ASCII.slash
      else { return false }
    }
    return true
  }

  /// Adds `tag`, or replaces the value of an earlier tag with the same key (last one wins).
  static func insert(_ tag: IRCTag, into tags: inout [IRCTag], index: inout [String: Int]) {
    if tags.count < linearTagLimit {
      for k in tags.indices where tags[k].key == tag.key {
        tags[k].value = tag.value
        return
      }
      tags.append(tag)
      if tags.count == linearTagLimit {
        for k in tags.indices { index[tags[k].key] = k }
      }
      return
    }
    if let k = index[tag.key] {
      tags[k].value = tag.value
    } else {
      index[tag.key] = tags.count
      tags.append(tag)
    }
  }
}
