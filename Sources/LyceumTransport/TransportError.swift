import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed transport operation: which call failed, with `errno` for system calls and OpenSSL's
/// error queue (or a short explanation) in `detail`, so that a log line says what went wrong.
public struct TransportError: Error, CustomStringConvertible, Sendable {
  /// The name of the call that failed, such as `bind` or `SSL_CTX_use_PrivateKey_file`.
  public let operation: String
  /// The C `errno` when the failure came from a system call.
  public let errno: Int32?
  /// A human-readable explanation (strerror text or OpenSSL's error strings).
  public let detail: String

  public init(operation: String, errno: Int32?, detail: String) {
    self.operation = operation
    self.errno = errno
    self.detail = detail
  }

  public var description: String {
    if let errno {
      return "\(operation) failed: \(detail) (errno \(errno))"
    }
    return "\(operation) failed: \(detail)"
  }

  /// An error for a system call that set `errno` to `code`.
  package static func posix(_ operation: String, _ code: Int32) -> TransportError {
    TransportError(operation: operation, errno: code, detail: String(cString: strerror(code)))
  }

  /// An error for an OpenSSL call; drains and reports OpenSSL's thread-local error queue.
  package static func openSSL(_ operation: String, fallback: String = "unknown OpenSSL error")
    -> TransportError
  {
    let text = drainOpenSSLErrors()
    return TransportError(operation: operation, errno: nil, detail: text.isEmpty ? fallback : text)
  }

  /// An error that is not a failed call but a misuse or bad input.
  package static func invalid(_ operation: String, _ detail: String) -> TransportError {
    TransportError(operation: operation, errno: nil, detail: detail)
  }
}

/// Empties OpenSSL's error queue for this thread and returns its entries joined by "; ".
package func drainOpenSSLErrors() -> String {
  var parts: [String] = []
  while true {
    let code = ERR_get_error()
    if code == 0 { break }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    parts.append(
      String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }
  return parts.joined(separator: "; ")
}
