/// One line of the bots' loopback listener: `ACCOUNT:TOKEN TARGET TEXT`.
///
/// The account name comes with the token because tokens are kept per account, as digests
/// looked up under the account (the same `account:secret` form as `PASS`). The target is one
/// channel, or one nick or account name for a direct message; the text is the rest of the
/// line, as it is posted.
struct BotLine: Equatable, Sendable {
  var account: String
  var secret: String
  var target: String
  var text: String

  /// The most bytes of text one line may post (the line itself is at most 510 bytes): a
  /// relayed `PRIVMSG` must fit IRC's 512 bytes with the poster's prefix and the target.
  static let maxTextBytes = 400

  /// Parses a framed line (without its line ending); the error text is the reason the script
  /// is answered with.
  static func parse(_ bytes: [UInt8]) -> Result<BotLine, BotLineError> {
    guard !bytes.contains(0) else { return .failure(.malformed("the line contains a NUL byte")) }
    guard let line = String(validating: bytes, as: UTF8.self) else {
      return .failure(.malformed("the line is not valid UTF-8"))
    }
    let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
    guard fields.count == 3 else { return .failure(.usage) }
    let credential = fields[0]
    guard let colon = credential.firstIndex(of: ":"), colon != credential.startIndex,
      credential.index(after: colon) != credential.endIndex
    else { return .failure(.usage) }
    let target = String(fields[1])
    guard !target.contains(","), !target.hasPrefix(":") else {
      return .failure(.malformed("give one target: a channel, a nick or an account"))
    }
    let text = String(fields[2])
    guard !text.allSatisfy({ $0 == " " }) else { return .failure(.malformed("no text to post")) }
    guard text.utf8.count <= maxTextBytes else {
      return .failure(.malformed("the text is longer than \(maxTextBytes) bytes"))
    }
    return .success(
      BotLine(
        account: String(credential[..<colon]),
        secret: String(credential[credential.index(after: colon)...]), target: target, text: text))
  }
}

/// Why a line of the bots' listener was not posted, before anything was checked.
enum BotLineError: Error, Equatable {
  /// Not `ACCOUNT:TOKEN TARGET TEXT`.
  case usage
  /// The reason, for the answer.
  case malformed(String)

  /// The answer line's reason.
  var reason: String {
    switch self {
    case .usage: "usage: ACCOUNT:TOKEN TARGET TEXT"
    case .malformed(let reason): reason
    }
  }
}
