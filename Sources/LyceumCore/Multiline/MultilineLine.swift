import LyceumProtocol

/// One line of a `draft/multiline` message as the sender composed it: its text, and whether it
/// continues the line before it (`draft/multiline-concat`) instead of starting a new one.
///
/// A multiline message is kept and replayed as these lines, so that recipients without the
/// capability see the sender's own line breaks rather than a re-split of the whole text.
public struct MultilineLine: Codable, Sendable, Equatable {
  public var text: String
  /// Joined to the previous line with nothing between them (else with a line feed).
  public var concatenates: Bool

  public init(_ text: String, concatenates: Bool = false) {
    self.text = text
    self.concatenates = concatenates
  }

  /// Whether the line shows nothing: empty or only spaces and tabs. Such lines are kept and
  /// relayed in a multiline batch but never sent as fallback lines.
  public var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }

  /// The message the lines make: each line joined to the previous one by a line feed, or by
  /// nothing when it concatenates.
  public static func combined(_ lines: [MultilineLine]) -> String {
    var text = ""
    for (index, line) in lines.enumerated() {
      if index > 0 && !line.concatenates { text += "\n" }
      text += line.text
    }
    return text
  }

  /// Bytes the lines count against `max-bytes`: their text, plus one per line feed that joins
  /// them.
  public static func byteCount(_ lines: [MultilineLine]) -> Int {
    var total = 0
    for (index, line) in lines.enumerated() {
      if index > 0 && !line.concatenates { total += 1 }
      total += line.text.utf8.count
    }
    return total
  }

  /// The lines with each one longer than `maxBytes` split on character boundaries into pieces
  /// that concatenate, so that every relayed line fits 512 bytes without losing text.
  public static func fitting(_ lines: [MultilineLine], maxBytes: Int) -> [MultilineLine] {
    var result: [MultilineLine] = []
    for line in lines {
      var rest = Substring(line.text)
      var first = true
      repeat {
        let piece = String(rest).prefixFitting(utf8Bytes: max(maxBytes, 4))
        result.append(MultilineLine(piece, concatenates: first ? line.concatenates : true))
        rest = rest.dropFirst(piece.count)
        first = false
      } while !rest.isEmpty
    }
    return result
  }
}
