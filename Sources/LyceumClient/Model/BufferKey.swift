import LyceumProtocol

/// Identifies a buffer: a target compared as the server compares names (rfc1459 case mapping),
/// and for a thread view its root msgid.
public struct BufferKey: Hashable, Sendable {
  /// The casefolded target; `*` for the server buffer.
  public let folded: String
  /// The thread root for a thread view, nil for the target's own buffer.
  public let root: String?

  public init(target: String, root: String? = nil) {
    folded = CaseMapping.rfc1459.fold(target)
    self.root = root
  }

  /// The server buffer's key.
  public static let server = BufferKey(target: "*")
}
