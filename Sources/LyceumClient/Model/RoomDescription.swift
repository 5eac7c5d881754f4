/// What a registered room says it is for (EXTENSIONS.md § Room directory): its kind
/// (`research`, `exchange`, `announcements`, `social` …) and its description, with the
/// institutions it is open to. The server sends it as `[kind] description (open to: …)`, each
/// part only when set: in a `NOTICE` after the topic on joining, and before ` — topic` in the
/// topic field of `LIST`'s `322`.
public struct RoomDescription: Equatable, Sendable {
  /// The room's kind, nil when it has none.
  public var kind: String?
  /// The description and the "(open to: …)" part; empty when there is neither.
  public var text: String

  /// The longest text kept (the server's description is at most 160 bytes; the institutions
  /// it is open to come on top).
  static let maximumLength = 400

  /// Reads `[kind] description (open to: …)`.
  public init(_ line: String) {
    var rest = Substring(line.prefix(Self.maximumLength))
    if rest.first == "[", let close = rest.firstIndex(of: "]"),
      case let word = rest[rest.index(after: rest.startIndex)..<close],
      !word.isEmpty, word.count <= 20, word.allSatisfy({ $0.isLetter || $0 == "-" })
    {
      kind = String(word)
      rest = rest[rest.index(after: close)...].drop { $0 == " " }
    }
    text = String(rest)
  }

  /// Splits a `322` topic field into the room's description (nil for an ordinary channel)
  /// and its topic. The field is `[kind] description (open to: …) — topic`; a room with a
  /// description but no kind and no institutions cannot be told from a topic containing
  /// ` — `, so it is shown as the topic (the same words).
  public static func splitListField(_ field: String) -> (RoomDescription?, String) {
    let description = RoomDescription(field)
    guard description.kind != nil || field.contains("(open to: ") else { return (nil, field) }
    guard let dash = description.text.range(of: " — ") else { return (description, "") }
    var head = description
    head.text = String(description.text[..<dash.lowerBound])
    return (head, String(description.text[dash.upperBound...]))
  }

  /// `[kind] text`, as the topic line shows it.
  public var shown: String {
    [kind.map { "[\($0)]" }, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " ")
  }
}
