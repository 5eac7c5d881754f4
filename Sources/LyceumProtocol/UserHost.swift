/// A message source split into `nick!user@host`; the parts that are absent are nil.
///
/// `coolguy` is a bare nick (or a server name), `coolguy@host` has no user. The first `@`
/// starts the host; a `!` before it starts the user.
public struct UserHost: Sendable, Equatable {
  public var nick: String
  public var user: String?
  public var host: String?

  public init(nick: String, user: String? = nil, host: String? = nil) {
    self.nick = nick
    self.user = user
    self.host = host
  }

  public init(parsing source: String) {
    let bytes = source.utf8
    let at = bytes.firstIndex(of: ASCII.at)
    let nickEnd = at ?? bytes.endIndex
    let bang = bytes[..<nickEnd].firstIndex(of: ASCII.bang)
    nick = String(source[..<(bang ?? nickEnd)])
    user = bang.map { String(source[bytes.index(after: $0)..<nickEnd]) }
    host = at.map { String(source[bytes.index(after: $0)...]) }
  }

  /// The joined form, `nick!user@host` with absent parts left out.
  public var joined: String {
    var s = nick
    if let user { s += "!" + user }
    if let host { s += "@" + host }
    return s
  }
}
