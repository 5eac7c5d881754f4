/// The parts of a line from a server that the bench looks at — tags, command, the first
/// parameters — found by scanning its UTF-8 bytes, without building a message or comparing
/// characters: reading a 100-line answer should cost the client little of the time measured.
/// Not a full parser: tag values are left escaped, and a trailing parameter (`:…`) is one
/// parameter to the end.
struct IRCLineWords {
  /// The tags without the leading `@` (empty when there are none).
  let tags: Substring
  let command: Substring
  /// What follows the command.
  private let parameters: Substring

  private static let space = UInt8(ascii: " ")
  private static let colon = UInt8(ascii: ":")

  init(_ line: String) {
    var rest = line[...]
    if rest.utf8.first == UInt8(ascii: "@") {
      let (tagWord, afterTags) = Self.firstWord(rest)
      tags = tagWord.dropFirst()
      rest = afterTags
    } else {
      tags = ""
    }
    if rest.utf8.first == Self.colon { rest = Self.firstWord(rest).rest }
    let (word, after) = Self.firstWord(rest)
    command = word
    parameters = after
  }

  /// The value of tag `key` (escaped as sent), nil when absent; empty for a tag without value.
  func tag(_ key: String) -> Substring? {
    var rest = tags
    while !rest.isEmpty {
      let end = rest.utf8.firstIndex(of: UInt8(ascii: ";")) ?? rest.endIndex
      let pair = rest[..<end]
      if pair.utf8.starts(with: key.utf8) {
        let after = pair[pair.utf8.index(pair.startIndex, offsetBy: key.utf8.count)...]
        if after.isEmpty { return after }
        if after.utf8.first == UInt8(ascii: "=") { return after.dropFirst() }
      }
      if end == rest.endIndex { return nil }
      rest = rest[rest.utf8.index(after: end)...]
    }
    return nil
  }

  /// Parameter `index` (from 0), nil when there are fewer.
  func parameter(_ index: Int) -> Substring? {
    var rest = parameters
    for position in 0...index {
      if rest.isEmpty { return nil }
      if rest.utf8.first == Self.colon { return position == index ? rest.dropFirst() : nil }
      let (word, after) = Self.firstWord(rest)
      if position == index { return word }
      rest = after
    }
    return nil
  }

  /// The text up to the first space, and what follows that space.
  private static func firstWord(_ text: Substring) -> (word: Substring, rest: Substring) {
    guard let end = text.utf8.firstIndex(of: Self.space) else { return (text, "") }
    return (text[..<end], text[text.utf8.index(after: end)...])
  }
}
