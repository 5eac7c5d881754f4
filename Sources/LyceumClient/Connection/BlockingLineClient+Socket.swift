import COpenSSL
import LyceumTransport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Socket and OpenSSL plumbing of the blocking client: a non-blocking socket plus `poll()`
/// gives every operation a deadline.
extension BlockingLineClient {
  /// Resolves `host` and connects to the first address that answers before `deadline`.
  func connectSocket(host: String, port: Int, deadline: ContinuousClock.Instant)
    throws(TransportError) -> Int32
  {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_NUMERICSERV
    var list: UnsafeMutablePointer<addrinfo>?
    let name =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    let rc = getaddrinfo(name, String(port), &hints, &list)
    guard rc == 0, let list else {
      throw .invalid("getaddrinfo(\(host))", String(cString: gai_strerror(rc)))
    }
    defer { freeaddrinfo(list) }
    var lastError = TransportError.invalid("connect(\(host):\(port))", "no address")
    var entry: UnsafeMutablePointer<addrinfo>? = list
    while let current = entry {
      entry = current.pointee.ai_next
      let fd = socket(
        current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue),
        current.pointee.ai_protocol)
      if fd < 0 {
        lastError = .posix("socket", errno)
        continue
      }
      do throws(TransportError) {
        try Syscall.setNonBlocking(fd)
        try Syscall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
        if Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) != 0 {
          let code = errno
          guard code == EINPROGRESS || code == EINTR else { throw .posix("connect", code) }
          try waitFD(fd, for: Int16(POLLOUT), until: deadline, operation: "connect")
          var soError: Int32 = 0
          var length = socklen_t(MemoryLayout<Int32>.size)
          _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
          if soError != 0 { throw .posix("connect(\(host):\(port))", soError) }
        }
        return fd
      } catch {
        Syscall.close(fd)
        lastError = error
      }
    }
    throw lastError
  }

  /// Waits for `events` on the client's socket; throws with operation "timeout" at `deadline`.
  func wait(for events: Int16, until deadline: ContinuousClock.Instant, operation: String)
    throws(TransportError)
  {
    try waitFD(fd, for: events, until: deadline, operation: operation)
  }

  private func waitFD(
    _ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant, operation: String
  ) throws(TransportError) {
    let remaining = deadline - ContinuousClock.now
    if remaining <= .zero {
      throw TransportError(operation: "timeout", errno: nil, detail: "\(operation) timed out")
    }
    // Round up so that a sub-millisecond remainder still waits.
    let millis = max(1, remaining.millisecondsForPoll)
    if try !Syscall.poll(fd, events: events, timeoutMilliseconds: millis) {
      throw TransportError(operation: "timeout", errno: nil, detail: "\(operation) timed out")
    }
  }

  func readOnce(_ buffer: UnsafeMutableRawBufferPointer) -> TransferResult {
    if let ssl {
      ERR_clear_error()
      var count = 0
      let rc = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
      return rc == 1 ? .transferred(count) : classify(rc)
    }
    do {
      switch try Syscall.read(fd, buffer.baseAddress!, buffer.count) {
      case .processed(0): return .endOfStream
      case .processed(let count): return .transferred(count)
      case .wouldBlock: return .wantRead
      }
    } catch {
      return .failed(error.description)
    }
  }

  func writeOnce(_ bytes: UnsafeRawBufferPointer) -> TransferResult {
    if let ssl {
      ERR_clear_error()
      var count = 0
      let rc = SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &count)
      return rc == 1 ? .transferred(count) : classify(rc)
    }
    do {
      switch try Syscall.write(fd, bytes.baseAddress!, bytes.count) {
      case .processed(let count): return .transferred(count)
      case .wouldBlock: return .wantWrite
      }
    } catch {
      return .failed(error.description)
    }
  }

  func classify(_ rc: Int32) -> TransferResult {
    let savedErrno = errno
    guard let ssl else { return .failed("no TLS session") }
    switch SSL_get_error(ssl, rc) {
    case SSL_ERROR_WANT_READ: return .wantRead
    case SSL_ERROR_WANT_WRITE: return .wantWrite
    case SSL_ERROR_ZERO_RETURN: return .endOfStream
    case SSL_ERROR_SYSCALL:
      let queued = drainOpenSSLErrors()
      if !queued.isEmpty { return .failed(queued) }
      return savedErrno == 0 ? .endOfStream : .failed(String(cString: strerror(savedErrno)))
    case let code:
      let queued = drainOpenSSLErrors()
      return .failed(queued.isEmpty ? "SSL error \(code)" : queued)
    }
  }
}
