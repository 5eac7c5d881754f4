import COpenSSL
import LyceumTransport

/// How a client decides whether to trust the server's certificate.
public enum TLSVerification: Sendable, Equatable {
  /// A chain to a CA in the system's trust store, for the host name connected to. The default.
  case system
  /// Exactly the certificate with this SHA-256 fingerprint (lowercase hex, no colons, as
  /// `lyceumd` logs it): trust on first use of a self-signed server, pinned in the config.
  case pinned(sha256: String)
  /// Anything. For tests against a throwaway certificate, and `--insecure`.
  case none
}

/// The server's certificate was not trusted; nothing was sent over the connection. Carries the
/// fingerprint so that a user can compare it with the server's log and pin it.
public struct CertificateRejected: Error, CustomStringConvertible, Sendable, Equatable {
  /// Why: OpenSSL's verification error, or a pinned fingerprint that changed.
  public let reason: String
  /// SHA-256 of the certificate the server presented (lowercase hex, no colons).
  public let fingerprint: String
  /// True when a pinned fingerprint did not match: the server's key changed, or someone is in
  /// the middle. Never to be accepted silently.
  public let pinMismatch: Bool

  public var description: String {
    pinMismatch
      ? "the server's certificate CHANGED: expected the pinned fingerprint, got \(fingerprint)"
      : "the server's certificate is not trusted (\(reason)); its SHA-256 fingerprint is "
        + fingerprint
  }
}

/// Formats a fingerprint as `ab:cd:…` pairs, the way `openssl x509 -fingerprint` prints it.
public func colonSeparatedFingerprint(_ hex: String) -> String {
  var pairs: [Substring] = []
  var index = hex.startIndex
  while index < hex.endIndex {
    let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
    pairs.append(hex[index..<next])
    index = next
  }
  return pairs.joined(separator: ":")
}

/// Accepts a fingerprint with or without colons, in either case; nil unless 64 hex digits.
public func normalizedFingerprint(_ text: String) -> String? {
  let hex = text.lowercased().filter { $0 != ":" }
  guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
  return hex
}

extension BlockingLineClient {
  /// After the handshake: throws `CertificateRejected` unless `verification` accepts the
  /// server's certificate.
  func checkCertificate(host: String, verification: TLSVerification) throws {
    guard let ssl else { return }
    guard let certificate = SSL_get1_peer_certificate(ssl) else {
      throw CertificateRejected(
        reason: "the server presented no certificate", fingerprint: "", pinMismatch: false)
    }
    defer { X509_free(certificate) }
    let fingerprint = sha256Fingerprint(of: certificate) ?? ""
    switch verification {
    case .none:
      return
    case .pinned(let expected):
      guard normalizedFingerprint(expected) == fingerprint else {
        throw CertificateRejected(
          reason: "fingerprint mismatch", fingerprint: fingerprint, pinMismatch: true)
      }
    case .system:
      let result = SSL_get_verify_result(ssl)
      guard result == X509_V_OK else {
        let reason = String(cString: X509_verify_cert_error_string(result))
        throw CertificateRejected(reason: reason, fingerprint: fingerprint, pinMismatch: false)
      }
    }
  }
}
