import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The TLS side of a connection: handshake and `SSL_read`/`SSL_write` mapped to
/// `TransferResult`, with OpenSSL's WANT_READ/WANT_WRITE turned into read/write interest.
/// Every method here runs on `queue`.
extension Connection {
  func advanceHandshake() {
    guard let ssl, state == .handshaking else { return }
    ERR_clear_error()
    let rc = SSL_do_handshake(ssl)
    if rc == 1 {
      handshakeCompleted(ssl)
      return
    }
    switch classify(ssl, rc) {
    case .wantRead:
      handshakeWantsWrite = false
      updateWriteInterest()
    case .wantWrite:
      handshakeWantsWrite = true
      updateWriteInterest()
    case .endOfStream:
      finalize(.handshakeFailed("connection closed during handshake"))
    case .failed(let text):
      finalize(.handshakeFailed(text))
    case .transferred:
      return
    }
  }

  private func handshakeCompleted(_ ssl: OpaquePointer) {
    cancelTimer()
    releaseHandshakeSlotIfHeld()
    var facts = HandshakeFacts()
    if let version = SSL_get_version(ssl) { facts.version = String(cString: version) }
    if let cipher = lyc_SSL_get_cipher_name(ssl) { facts.cipher = String(cString: cipher) }
    if let certificate = SSL_get1_peer_certificate(ssl) {
      facts.peerFingerprint = sha256Fingerprint(of: certificate)
      X509_free(certificate)
    }
    handshakeFacts.withLock { $0 = facts }
    logger.debug(
      "TLS handshake done",
      metadata: [
        "connection": "\(id.raw)", "version": "\(facts.version ?? "?")",
        "cipher": "\(facts.cipher ?? "?")",
      ])
    state = .ready
    handshakeWantsWrite = false
    updateWriteInterest()
    updateReadInterest()
    handler?.connectionDidBecomeReady(self)
    guard state == .ready else { return }
    flush()
    // The client's first lines may have arrived with its Finished message.
    if state == .ready { readAvailable() }
  }

  func tlsRead(_ buffer: UnsafeMutableRawBufferPointer) -> TransferResult {
    guard let ssl else { return .endOfStream }
    ERR_clear_error()
    var count = 0
    let rc = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
    if rc == 1 { return .transferred(count) }
    return classify(ssl, rc)
  }

  func tlsWrite(_ bytes: UnsafeRawBufferPointer) -> TransferResult {
    guard let ssl else { return .endOfStream }
    ERR_clear_error()
    var count = 0
    let rc = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count)
    if rc == 1 { return .transferred(count) }
    return classify(ssl, rc)
  }

  /// Maps a failed OpenSSL I/O call to what the connection should do next.
  private func classify(_ ssl: OpaquePointer, _ rc: Int32) -> TransferResult {
    let savedErrno = errno
    let code = SSL_get_error(ssl, rc)
    switch code {
    case SSL_ERROR_WANT_READ:
      return .wantRead
    case SSL_ERROR_WANT_WRITE:
      return .wantWrite
    case SSL_ERROR_ZERO_RETURN:
      return .endOfStream
    case SSL_ERROR_SYSCALL:
      let queued = drainOpenSSLErrors()
      if !queued.isEmpty { return .failed(queued) }
      if savedErrno == 0 { return .endOfStream }
      return .failed(String(cString: strerror(savedErrno)))
    default:
      let queued = drainOpenSSLErrors()
      return .failed(queued.isEmpty ? "SSL error \(code)" : queued)
    }
  }
}
