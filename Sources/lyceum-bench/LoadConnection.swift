import COpenSSL

#if canImport(Glibc)
  import Glibc
#endif

/// One client connection of the load scenarios, owned by one `EventLoop` (one thread): a
/// non-blocking socket, optionally TLS, a partial-line buffer and an outbound buffer.
final class LoadConnection {
  enum State {
    case connecting
    case handshaking
    case open
    case closed
  }

  /// The client's number among all clients of the run (0 ..< clients).
  let index: Int
  /// The client's slot in its event loop (the epoll user data).
  let slot: Int
  let fd: Int32
  var ssl: OpaquePointer?
  var state = State.connecting
  /// Bytes after the last complete line read so far.
  var partial: [UInt8] = []
  /// Bytes queued for the server; `written` of them are sent.
  var outbound: [UInt8] = []
  var written = 0
  /// In the loop's list of connections to flush.
  var isDirty = false
  /// Whether `EPOLLOUT` is in the interest set.
  var watchesWritable = false
  /// TLS only: the last read wanted to write (retry reading when writable).
  var readWantsWrite = false

  // Scenario state.
  var startedNs: UInt64 = 0
  var isRegistered = false
  var hasJoined = false
  /// fanout: the next sequence number expected from each sender.
  var expected: [Int32] = []
  /// fanout, senders only: messages sent so far (the last sequence number).
  var sent = 0

  init(index: Int, slot: Int, fd: Int32) {
    self.index = index
    self.slot = slot
    self.fd = fd
  }

  var hasOutput: Bool { written < outbound.count }

  /// Appends raw bytes to the outbound buffer.
  @inline(__always)
  func queue(_ bytes: [UInt8]) {
    outbound.append(contentsOf: bytes)
  }

  /// Appends a line (CR LF added); for the few non-hot lines (registration, JOIN, QUIT).
  func queueLine(_ text: String) {
    outbound.append(contentsOf: text.utf8)
    outbound.append(13)
    outbound.append(10)
  }
}

/// The outcome of one read or write attempt.
enum LoadIO {
  case bytes(Int)
  case wouldBlock
  case endOfStream
  case failed(String)
}

extension LoadConnection {
  /// Reads once into `buffer` (TLS or plain).
  func readSome(_ buffer: UnsafeMutableRawBufferPointer) -> LoadIO {
    if let ssl {
      var count = 0
      if SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count) == 1 { return .bytes(count) }
      return sslOutcome(SSL_get_error(ssl, 0), reading: true)
    }
    while true {
      let n = recv(fd, buffer.baseAddress, buffer.count, 0)
      if n > 0 { return .bytes(n) }
      if n == 0 { return .endOfStream }
      let code = errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
      return .failed("recv: \(String(cString: strerror(code)))")
    }
  }

  /// Writes as much of the outbound buffer as the socket takes. `.wouldBlock` when some is left.
  func flush() -> LoadIO {
    var total = 0
    while written < outbound.count {
      let outcome: LoadIO = outbound.withUnsafeBytes { all in
        let rest = UnsafeRawBufferPointer(rebasing: all[written...])
        if let ssl {
          var count = 0
          if SSL_write_ex(ssl, rest.baseAddress, rest.count, &count) == 1 { return .bytes(count) }
          return sslOutcome(SSL_get_error(ssl, 0), reading: false)
        }
        while true {
          let n = send(fd, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL))
          if n >= 0 { return .bytes(n) }
          let code = errno
          if code == EINTR { continue }
          if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
          return .failed("send: \(String(cString: strerror(code)))")
        }
      }
      switch outcome {
      case .bytes(let n):
        written += n
        total += n
      case .wouldBlock, .endOfStream, .failed: return outcome
      }
    }
    outbound.removeAll(keepingCapacity: outbound.capacity <= 65536)
    written = 0
    return .bytes(total)
  }

  /// Drives the TLS handshake one step: `.bytes(0)` when done.
  func handshake() -> LoadIO {
    guard let ssl else { return .bytes(0) }
    let rc = SSL_connect(ssl)
    if rc == 1 { return .bytes(0) }
    return sslOutcome(SSL_get_error(ssl, rc), reading: false)
  }

  private func sslOutcome(_ code: Int32, reading: Bool) -> LoadIO {
    switch code {
    case SSL_ERROR_WANT_READ:
      return .wouldBlock
    case SSL_ERROR_WANT_WRITE:
      if reading { readWantsWrite = true }
      return .wouldBlock
    case SSL_ERROR_ZERO_RETURN:
      return .endOfStream
    case SSL_ERROR_SYSCALL:
      let code = errno
      ERR_clear_error()
      return code == 0 ? .endOfStream : .failed("TLS: \(String(cString: strerror(code)))")
    default:
      let error = ERR_get_error()
      var text = [CChar](repeating: 0, count: 256)
      ERR_error_string_n(error, &text, text.count)
      ERR_clear_error()
      return .failed(
        "TLS: \(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))"
      )
    }
  }

  /// Frees the TLS state and closes the socket (which leaves the epoll set).
  func close() {
    guard state != .closed else { return }
    state = .closed
    if let ssl {
      SSL_free(ssl)
      self.ssl = nil
    }
    _ = Glibc.close(fd)
    partial = []
    outbound = []
    written = 0
  }
}
