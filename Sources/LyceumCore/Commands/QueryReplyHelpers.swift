import LyceumProtocol

/// The most bytes one message may take on the wire, CRLF included, tags excluded
/// (RFC 1459 §2.3, Modern IRC "Message Format").
let maximumLineBytes = 512

extension Replies {
  /// Adds `numeric` as many times as needed to carry every word of `words`, space-separated in
  /// the last parameter after `params`, keeping each line within 512 bytes.
  ///
  /// Used by the list-shaped replies (`353`, `319`) whose last parameter can outgrow one line.
  /// Adds nothing when `words` is empty. A single word longer than a line gets a line of its own.
  mutating func numericList(_ numeric: Numeric, params: [String], words: [String]) {
    // ":server NNN target p1 p2 :" and the CRLF.
    var overhead = 1 + serverName.utf8.count + 1 + numeric.code.utf8.count + 1 + target.utf8.count
    for param in params { overhead += 1 + param.utf8.count }
    overhead += 2 + 2
    let budget = Swift.max(maximumLineBytes - overhead, 1)
    var line = ""
    var lineBytes = 0
    for word in words {
      let wordBytes = word.utf8.count
      if lineBytes > 0 && lineBytes + 1 + wordBytes > budget {
        self.numeric(numeric, params: params + [line])
        line = ""
        lineBytes = 0
      }
      if lineBytes > 0 {
        line += " "
        lineBytes += 1
      }
      line += word
      lineBytes += wordBytes
    }
    if lineBytes > 0 { self.numeric(numeric, params: params + [line]) }
  }
}

extension IRCServerCore {
  /// Whole seconds since `client` last sent a message, for `317` and WHOX `l`.
  func idleSeconds(of client: Client) -> Int64 {
    let idle = clock.monotonicNow() - client.lastMessageAt
    return Swift.max(idle.components.seconds, 0)
  }

  /// Whether `asker` and `other` are both in at least one channel.
  func sharesChannel(_ asker: Client, with other: Client) -> Bool {
    !asker.channels.isDisjoint(with: other.channels)
  }

  /// Whether `asker` may see `other` in WHO, NAMES and LIST counts: `+i` users are hidden from
  /// those who share no channel with them, except from themselves and IRC operators
  /// (Modern IRC, "Invisible User Mode").
  func isVisible(_ other: Client, to asker: Client) -> Bool {
    !other.isInvisible || other.id == asker.id || asker.isOperator
      || sharesChannel(asker, with: other)
  }

  /// Whether `asker` may learn that `channel` exists: secret (`+s`) channels are shown only to
  /// their members (Modern IRC, "Secret Channel Mode").
  func canSee(_ channel: Channel, asker: Client) -> Bool {
    !channel.modes.secret || channel.members[asker.id] != nil
  }
}
