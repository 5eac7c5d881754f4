import LyceumProtocol

/// Decides which tags of an outgoing message a recipient may see, given its capabilities, and
/// serializes accordingly.
///
/// A client sees `time` only with `server-time`, `batch` only with `batch`, `account` only with
/// `account-tag`, `label` only when it was the one that labelled the command, and every other
/// tag (`msgid`, `bot`, `+client` tags …) only with `message-tags`.
enum TagVisibility {
  static func isVisible(_ tag: IRCTag, to capabilities: CapabilitySet) -> Bool {
    switch tag.key {
    case "time": return capabilities.contains(.serverTime)
    case "batch": return capabilities.contains(.batch)
    case "label": return capabilities.contains(.labeledResponse)
    case "account": return capabilities.contains(.accountTag)
    default: return capabilities.contains(.messageTags)
    }
  }

  /// Appends `message` with only the tags `capabilities` allow.
  static func append(
    _ message: IRCMessage, for capabilities: CapabilitySet, to buffer: inout [UInt8]
  ) {
    if message.tags.isEmpty || message.tags.allSatisfy({ isVisible($0, to: capabilities) }) {
      message.appendSerialized(to: &buffer)
      return
    }
    var filtered = message
    filtered.tags.removeAll { !isVisible($0, to: capabilities) }
    filtered.appendSerialized(to: &buffer)
  }
}

/// One message on its way to many recipients, serialized at most once per distinct set of
/// tag-affecting capabilities, so fan-out to a large room costs one copy per recipient.
struct FanOutMessage {
  let message: IRCMessage
  private var cache: [(CapabilitySet, [UInt8])] = []

  init(_ message: IRCMessage) { self.message = message }

  mutating func bytes(for capabilities: CapabilitySet) -> [UInt8] {
    let key = capabilities.intersection(.tagAffecting)
    for (cachedKey, bytes) in cache where cachedKey == key { return bytes }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(128)
    TagVisibility.append(message, for: key, to: &bytes)
    cache.append((key, bytes))
    return bytes
  }
}
