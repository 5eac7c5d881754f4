import COpenSSL
import LyceumTransport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// TLS protocol versions a `BlockingLineClient` can be limited to (to test that old versions are
/// refused).
public enum TLSProtocolVersion: Sendable {
  case tls11
  case tls12
  case tls13

  var openSSLValue: Int32 {
    switch self {
    case .tls11: return TLS1_1_VERSION
    case .tls12: return TLS1_2_VERSION
    case .tls13: return TLS1_3_VERSION
    }
  }
}

/// A small line client (plaintext or TLS) on a non-blocking socket: every wait is bounded with
/// `poll()`, and `readLine(timeout: .zero)` returns at once, so an event loop can drain it when
/// its descriptor is readable. The terminal client, `lyceum-bench` and the tests all use it.
/// The server's certificate is checked as `verification` says (the system's trust store and
/// the host name by default). Not thread-safe: one owner at a time.
///
/// End of stream: `readLine` returns nil and `isClosed` becomes true; a timeout also returns nil
/// but leaves `isClosed` false. Errors (reset, TLS failure, a rejected certificate) throw.
public final class BlockingLineClient {
  var fd: Int32 = -1
  private var context: OpaquePointer?
  var ssl: OpaquePointer?
  private let timeout: Duration
  private var buffer: [UInt8] = []
  /// `buffer[lineStart...]` is unread; `buffer[lineStart..<scanned]` holds no newline.
  private var lineStart = 0
  private var scanned = 0
  public private(set) var isClosed = false
  /// The longest line accepted from the server: IRCv3's 8191 bytes of tags and 512 of message,
  /// with room to spare. Past it the peer is not speaking IRC, and reading stops.
  static let maximumLineBytes = 16_384

  /// Connects (and, for TLS, completes the handshake and checks the certificate as
  /// `verification` says) within `timeout`. A client certificate is presented when both paths
  /// are given. `maximumTLSVersion` pins the client to one older version, for tests that the
  /// server refuses it. Throws `TransportError`, or `CertificateRejected` when the server's
  /// certificate is not trusted (before a single byte of IRC is sent).
  public init(
    host: String, port: Int, tls: Bool, verification: TLSVerification = .system,
    clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
    timeout: Duration = .seconds(5), maximumTLSVersion: TLSProtocolVersion? = nil
  ) throws {
    self.timeout = timeout
    let deadline = ContinuousClock.now + timeout
    do {
      fd = try connectSocket(host: host, port: port, deadline: deadline)
      if tls {
        try startTLS(
          host: host, verification: verification, certificate: clientCertificatePath,
          key: clientKeyPath, maximumVersion: maximumTLSVersion, deadline: deadline)
        try checkCertificate(host: host, verification: verification)
      }
    } catch {
      close()
      throw error
    }
  }

  /// The descriptor to watch for readability (for an event loop); -1 once closed.
  public var fileDescriptor: Int32 { fd }

  deinit {
    close()
  }

  /// The negotiated TLS version ("TLSv1.3"), nil for plaintext.
  public var tlsVersion: String? {
    guard let ssl, let text = SSL_get_version(ssl) else { return nil }
    return String(cString: text)
  }

  /// SHA-256 fingerprint (lowercase hex) of the server's certificate, nil for plaintext; lets
  /// tools pin a self-signed server.
  public var peerCertificateFingerprintSHA256: String? {
    guard let ssl, let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
    defer { X509_free(certificate) }
    return sha256Fingerprint(of: certificate)
  }

  /// Sends `line` followed by CRLF. A line holding CR, LF or NUL is refused: it would end
  /// early and send the rest as another command.
  public func send(_ line: String) throws(TransportError) {
    guard !line.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }) else {
      throw .invalid("send", "a line break inside a line")
    }
    try sendRaw(Array(line.utf8) + [13, 10])
  }

  /// Sends bytes as they are; waits at most the client's timeout for the socket to take them.
  public func sendRaw(_ bytes: [UInt8]) throws(TransportError) {
    guard fd >= 0 else { throw .invalid("send", "client is closed") }
    let deadline = ContinuousClock.now + timeout
    var offset = 0
    while offset < bytes.count {
      let result = bytes.withUnsafeBytes { raw in
        writeOnce(UnsafeRawBufferPointer(rebasing: raw[offset...]))
      }
      switch result {
      case .transferred(let count): offset += count
      case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline, operation: "send")
      case .wantRead: try wait(for: Int16(POLLIN), until: deadline, operation: "send")
      case .endOfStream:
        isClosed = true
        throw .invalid("send", "connection closed")
      case .failed(let text): throw .invalid("send", text)
      }
    }
  }

  /// The next line without its CR LF, or nil on timeout or end of stream (then `isClosed`).
  public func readLine(timeout: Duration = .seconds(5)) throws(TransportError) -> String? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let newline = buffer[scanned...].firstIndex(of: 10) {
        var end = newline
        if end > lineStart && buffer[end - 1] == 13 { end -= 1 }
        let line = String(decoding: buffer[lineStart..<end], as: UTF8.self)
        lineStart = newline + 1
        scanned = lineStart
        // Compact now and then instead of shifting the buffer for every line.
        if lineStart == buffer.count || lineStart >= 65536 {
          buffer.removeSubrange(0..<lineStart)
          lineStart = 0
          scanned = 0
        }
        return line
      }
      scanned = buffer.count
      if buffer.count - lineStart > Self.maximumLineBytes {
        throw .invalid(
          "readLine", "the server sent more than \(Self.maximumLineBytes) bytes without a line end")
      }
      if isClosed || fd < 0 { return nil }
      var chunk = [UInt8](repeating: 0, count: 16384)
      let result = chunk.withUnsafeMutableBytes { readOnce($0) }
      switch result {
      case .transferred(let count): buffer.append(contentsOf: chunk[0..<count])
      case .wantRead:
        do {
          try wait(for: Int16(POLLIN), until: deadline, operation: "readLine")
        } catch  where error.operation == "timeout" {
          return nil
        }
      case .wantWrite:
        do {
          try wait(for: Int16(POLLOUT), until: deadline, operation: "readLine")
        } catch  where error.operation == "timeout" {
          return nil
        }
      case .endOfStream:
        isClosed = true
        return nil
      case .failed(let text):
        isClosed = true
        throw .invalid("readLine", text)
      }
    }
  }

  /// Closes the connection (sending TLS close_notify when possible). Idempotent.
  public func close() {
    if let ssl {
      ERR_clear_error()
      if !isClosed { _ = SSL_shutdown(ssl) }
      ERR_clear_error()
      SSL_free(ssl)
      self.ssl = nil
    }
    if let context {
      SSL_CTX_free(context)
      self.context = nil
    }
    if fd >= 0 {
      Syscall.close(fd)
      fd = -1
    }
    isClosed = true
  }

  // MARK: internals

  private func startTLS(
    host: String, verification: TLSVerification, certificate: String?, key: String?,
    maximumVersion: TLSProtocolVersion?, deadline: ContinuousClock.Instant
  ) throws(TransportError) {
    ERR_clear_error()
    guard let context = SSL_CTX_new(TLS_client_method()) else { throw .openSSL("SSL_CTX_new") }
    self.context = context
    // The handshake always completes; `checkCertificate` then decides, so that a rejection can
    // name the fingerprint (trust on first use needs it) instead of a bare handshake failure.
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
    if verification == .system { _ = SSL_CTX_set_default_verify_paths(context) }
    if let maximumVersion {
      // Old versions need SHA-1 and older ciphers: drop the security level so the client really
      // offers them, and the test sees the server refuse.
      _ = SSL_CTX_set_cipher_list(context, "DEFAULT:@SECLEVEL=0")
      _ = lyc_SSL_CTX_set_min_proto_version(context, maximumVersion.openSSLValue)
      _ = lyc_SSL_CTX_set_max_proto_version(context, maximumVersion.openSSLValue)
    }
    if let certificate, let key {
      guard SSL_CTX_use_certificate_chain_file(context, certificate) == 1 else {
        throw .openSSL("SSL_CTX_use_certificate_chain_file(\(certificate))")
      }
      guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
        throw .openSSL("SSL_CTX_use_PrivateKey_file(\(key))")
      }
    }
    guard let ssl = SSL_new(context) else { throw .openSSL("SSL_new") }
    self.ssl = ssl
    guard SSL_set_fd(ssl, fd) == 1 else { throw .openSSL("SSL_set_fd") }
    let bareHost =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if (try? makeSocketAddress(host: bareHost, port: 0)) == nil {
      _ = lyc_SSL_set_tlsext_host_name(ssl, bareHost)
      if verification == .system, SSL_set1_host(ssl, bareHost) != 1 {
        throw .openSSL("SSL_set1_host(\(bareHost))")
      }
    } else if verification == .system {
      guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), bareHost) == 1 else {
        throw .openSSL("X509_VERIFY_PARAM_set1_ip_asc(\(bareHost))")
      }
    }
    while true {
      ERR_clear_error()
      let rc = SSL_connect(ssl)
      if rc == 1 { return }
      switch classify(rc) {
      case .wantRead: try wait(for: Int16(POLLIN), until: deadline, operation: "SSL_connect")
      case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline, operation: "SSL_connect")
      case .endOfStream: throw .invalid("SSL_connect", "connection closed during handshake")
      case .failed(let text): throw .invalid("SSL_connect", text)
      case .transferred: continue
      }
    }
  }
}
