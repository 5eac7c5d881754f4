/// One IRC message: optional IRCv3 tags, optional source, a command (verb or three-digit
/// numeric) and its parameters.
///
/// This is the single value every layer of Lyceum speaks: the parser produces it from a line,
/// command handlers consume and produce it, and the serializer turns it back into bytes.
/// Values are kept unescaped; escaping happens only at the wire boundary.
public struct IRCMessage: Sendable, Hashable {
  /// Message tags in the order they appeared (or were added). A tag without a value has
  /// `value == nil`; `key=` on the wire is also read as `nil` (the spec makes them equivalent).
  public var tags: [IRCTag]
  /// The source (`nick!user@host` or a server name), without the leading colon.
  public var source: String?
  /// The command as it appeared; compare with `uppercasedCommand` for dispatch.
  public var command: String
  /// Parameters; the last one may contain spaces (serialized as a trailing parameter).
  public var params: [String]

  public init(
    tags: [IRCTag] = [],
    source: String? = nil,
    command: String,
    params: [String] = []
  ) {
    self.tags = tags
    self.source = source
    self.command = command
    self.params = params
  }

  /// The command in ASCII upper case, the form the command table is keyed by.
  public var uppercasedCommand: String { command.uppercased() }

  /// The value of the first tag named `key`; `.some(nil)` for a tag present without a value.
  public func tag(_ key: String) -> String?? {
    for tag in tags where tag.key == key { return .some(tag.value) }
    return nil
  }
}

/// One IRCv3 message tag. Client-only tags have keys starting with `+`.
public struct IRCTag: Sendable, Hashable {
  public var key: String
  public var value: String?

  public init(_ key: String, _ value: String? = nil) {
    self.key = key
    self.value = value
  }

  /// Whether this is a client-only tag (`+key`), which servers relay but do not interpret.
  public var isClientOnly: Bool { key.hasPrefix("+") }
}
