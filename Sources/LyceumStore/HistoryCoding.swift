import LyceumCore
import LyceumProtocol

/// The text forms of a history row's list columns: compact, readable in the `sqlite3` shell,
/// and exact for any content (spaces, colons, semicolons, empty strings, any Unicode).
package enum HistoryCoding {
  /// A row whose list column cannot be decoded (written by something other than this module).
  struct CorruptColumn: Error, CustomStringConvertible {
    var column: String
    var text: String
    var description: String { "history: cannot decode \(column) '\(text)'" }
  }

  /// The tags in IRCv3 wire form, `key=escaped-value` joined by `;`, a tag without a value as
  /// `key` alone and an empty value as `key=` (so the two stay apart). Keys are as the parser
  /// produced them and contain no `;`, `=` or space.
  package static func encode(tags: [IRCTag]) -> String {
    var out = ""
    for (index, tag) in tags.enumerated() {
      if index > 0 { out += ";" }
      out += tag.key
      if let value = tag.value {
        out += "="
        out += TagEscaping.escape(value)
      }
    }
    return out
  }

  package static func decodeTags(_ text: String) -> [IRCTag] {
    text.split(separator: ";").map { item in
      guard let equals = item.firstIndex(of: "=") else { return IRCTag(String(item)) }
      return IRCTag(
        String(item[..<equals]), TagEscaping.unescape(item[item.index(after: equals)...]))
    }
  }

  /// Each string as its UTF-8 length in decimal, `:`, then the string: `["a b", ""]` is
  /// `3:a b0:`.
  package static func encode(params: [String]) -> String {
    var out = ""
    for item in params {
      out += String(item.utf8.count)
      out += ":"
      out += item
    }
    return out
  }

  package static func decodeParams(_ text: String) throws -> [String] {
    var copy = text
    let decoded: [String]? = copy.withUTF8 { bytes in
      var result: [String] = []
      var index = 0
      while index < bytes.count {
        var length = 0
        var digits = 0
        while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
          let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
          guard (0...9).contains(digit), digits < 9 else { return nil }
          length = length * 10 + digit
          digits += 1
          index += 1
        }
        guard digits > 0, index < bytes.count, bytes.count - index - 1 >= length else {
          return nil
        }
        index += 1
        result.append(String(decoding: bytes[index..<index + length], as: UTF8.self))
        index += length
      }
      return result
    }
    guard let decoded else { throw CorruptColumn(column: "params", text: text) }
    return decoded
  }

  /// A multiline message's lines as `encode(params:)` of each line's text behind one marker
  /// character: `+` for a line that concatenates to the one before, `=` for a new line.
  package static func encode(lines: [MultilineLine]) -> String {
    encode(params: lines.map { ($0.concatenates ? "+" : "=") + $0.text })
  }

  package static func decodeLines(_ text: String) throws -> [MultilineLine] {
    try decodeParams(text).map { item in
      guard let marker = item.first, marker == "+" || marker == "=" else {
        throw CorruptColumn(column: "lines", text: text)
      }
      return MultilineLine(String(item.dropFirst()), concatenates: marker == "+")
    }
  }
}
