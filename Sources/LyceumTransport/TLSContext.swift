import COpenSSL

/// Server-side TLS configuration shared by all connections of a listener.
///
/// TLS 1.2 minimum (1.3 preferred by OpenSSL's default order), no compression, no renegotiation,
/// EOF without close_notify treated as a normal close, partial writes enabled. A client
/// certificate is requested but not required, and any certificate is accepted, so that SASL
/// EXTERNAL can later identify a user by the certificate's fingerprint.
///
/// Immutable after `init`; the underlying `SSL_CTX` is reference-counted by OpenSSL and safe to
/// share between threads, hence `@unchecked Sendable`.
public final class TLSContext: @unchecked Sendable {
  let context: OpaquePointer
  /// SHA-256 of the DER certificate, lowercase hex without colons.
  public let certificateFingerprintSHA256: String

  /// Loads a PEM certificate chain and its private key; throws if they do not match.
  public init(certificatePath: String, keyPath: String) throws(TransportError) {
    ERR_clear_error()
    guard let context = SSL_CTX_new(TLS_server_method()) else {
      throw .openSSL("SSL_CTX_new")
    }
    self.context = context
    // Failures are collected and thrown once every stored property is set: `deinit` then runs
    // and frees the context.
    var failure: TransportError?
    var fingerprint = ""
    repeat {
      guard lyc_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
        failure = .openSSL("SSL_CTX_set_min_proto_version")
        break
      }
      SSL_CTX_set_options(
        context,
        LYC_SSL_OP_NO_COMPRESSION | LYC_SSL_OP_NO_RENEGOTIATION | LYC_SSL_OP_IGNORE_UNEXPECTED_EOF)
      _ = lyc_SSL_CTX_set_mode(
        context,
        LYC_SSL_MODE_ENABLE_PARTIAL_WRITE | LYC_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
          | LYC_SSL_MODE_RELEASE_BUFFERS)
      // Requested client certificates make session resumption need an id context.
      let sessionContext: [UInt8] = Array("lyceum".utf8)
      _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, acceptAnyCertificate)
      // No TLS 1.3 session tickets (OpenSSL sends two after every handshake by default, each
      // an encryption and a write): IRC clients keep one long connection and none we know
      // resumes a session; one that tried would get a full handshake. Measured (release,
      // `lyceum-bench connect --clients 300 --connecting 8`, six runs each, alternating): a
      // median of 633 µs of CPU per connection with tickets, 545 without.
      _ = SSL_CTX_set_num_tickets(context, 0)
      guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
        failure = .openSSL("SSL_CTX_use_certificate_chain_file(\(certificatePath))")
        break
      }
      guard SSL_CTX_use_PrivateKey_file(context, keyPath, SSL_FILETYPE_PEM) == 1 else {
        failure = .openSSL("SSL_CTX_use_PrivateKey_file(\(keyPath))")
        break
      }
      guard SSL_CTX_check_private_key(context) == 1 else {
        failure = .openSSL("SSL_CTX_check_private_key", fallback: "key does not match certificate")
        break
      }
      guard let certificate = SSL_CTX_get0_certificate(context),
        let digest = sha256Fingerprint(of: certificate)
      else {
        failure = .openSSL("X509_digest", fallback: "no certificate loaded")
        break
      }
      fingerprint = digest
    } while false
    self.certificateFingerprintSHA256 = fingerprint
    if let failure { throw failure }
  }

  deinit {
    SSL_CTX_free(context)
  }
}

/// Verification callback that accepts every client certificate: the server only wants its
/// fingerprint (for SASL EXTERNAL), not a chain to a CA.
private let acceptAnyCertificate: @convention(c) (Int32, OpaquePointer?) -> Int32 = { _, _ in 1 }

/// SHA-256 of the DER encoding of `certificate`, lowercase hex without colons.
package func sha256Fingerprint(of certificate: OpaquePointer) -> String? {
  var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
  var length: UInt32 = 0
  guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return nil }
  return hexString(digest.prefix(Int(length)))
}

/// Lowercase hex of some bytes.
package func hexString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
  let digits: [UInt8] = Array("0123456789abcdef".utf8)
  var out: [UInt8] = []
  for byte in bytes {
    out.append(digits[Int(byte >> 4)])
    out.append(digits[Int(byte & 0x0f)])
  }
  return String(decoding: out, as: UTF8.self)
}
