import COpenSSL

/// Why a cryptographic operation did not produce a result.
public enum CryptoError: Error, Equatable, Sendable {
  /// The caller's parameters are out of range; the text names them.
  case invalidParameters(String)
  /// OpenSSL refused: the function's name and OpenSSL's error string.
  case openSSL(String, String)

  /// Drains OpenSSL's thread-local error queue into one readable string.
  static func lastOpenSSLError() -> String {
    var messages: [String] = []
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      var buffer = [CChar](repeating: 0, count: 256)
      ERR_error_string_n(code, &buffer, buffer.count)
      let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      messages.append(String(decoding: bytes, as: UTF8.self))
    }
    return messages.isEmpty ? "unknown OpenSSL error" : messages.joined(separator: "; ")
  }
}
