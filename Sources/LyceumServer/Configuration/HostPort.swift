/// A `host:port` pair as written on the command line, e.g. for `--listen`.
///
/// Accepted forms: `127.0.0.1:6667`, `localhost:6697`, `[::1]:6697` (IPv6 literals in brackets),
/// and `*:6697`, which means every interface and is stored as the dual-stack `::`. Port 0 asks
/// the kernel for a free port. An unbracketed IPv6 literal is rejected because its last `:` is
/// ambiguous.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
  /// The address or host name, without brackets.
  public var host: String
  /// The TCP port, 0...65535.
  public var port: Int

  /// A pair from its parts.
  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses `host:port`; throws `ConfigurationError.invalidValue` naming the text on error.
  public init(parsing text: String) throws {
    func invalid(_ reason: String) -> ConfigurationError {
      .invalidValue(key: "host:port", value: text, reason: reason)
    }
    let host: Substring
    let portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else {
        throw invalid("missing ']' after the IPv6 address")
      }
      host = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      guard rest.first == ":" else { throw invalid("expected ':PORT' after ']'") }
      portText = rest.dropFirst()
      guard host.contains(":") else { throw invalid("brackets are only for IPv6 addresses") }
    } else {
      guard let colon = text.lastIndex(of: ":") else { throw invalid("expected HOST:PORT") }
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
      if host.contains(":") { throw invalid("write IPv6 addresses in brackets, e.g. [::1]:6697") }
    }
    guard !host.isEmpty else { throw invalid("the host is empty (use * for every interface)") }
    guard !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      throw invalid("the host contains a space or '/'")
    }
    guard let port = Int(portText), (0...65535).contains(port), portText.allSatisfy(\.isNumber)
    else {
      throw invalid("the port must be a number from 0 to 65535")
    }
    self.host = host == "*" ? "::" : String(host)
    self.port = port
  }

  /// `host:port`, with IPv6 addresses in brackets.
  public var description: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}
