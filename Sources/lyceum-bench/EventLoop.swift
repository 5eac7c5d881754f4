import COpenSSL

#if canImport(Glibc)
  import Glibc
#endif

/// An epoll loop owning many `LoadConnection`s, run by one thread. Level-triggered: `EPOLLIN`
/// always, `EPOLLOUT` only while output is pending (or a connect or handshake needs it).
/// Output queued during one iteration is written once at its end (batched writes).
///
/// `@unchecked Sendable`: built on the main thread, then used by its one thread only; the main
/// thread reads it again only after that thread has finished.
final class EventLoop: @unchecked Sendable {
  private let epoll: Epoll
  private(set) var connections: [LoadConnection] = []
  private var dirty: [LoadConnection] = []
  private let scratch: UnsafeMutableRawBufferPointer
  private let events: UnsafeMutableRawPointer
  private let eventCapacity = 512
  private let target: sockaddr_in
  private let tls: OpaquePointer?
  /// Milliseconds `epoll_wait` may sleep; the handler shortens it while sending.
  var timeoutMs: Int32 = 10

  init(target: sockaddr_in, tls: OpaquePointer?) throws {
    epoll = try Epoll()
    self.target = target
    self.tls = tls
    scratch = .allocate(byteCount: 65536, alignment: 16)
    events = .allocate(byteCount: eventCapacity * Epoll.eventSize, alignment: 8)
  }

  deinit {
    for connection in connections { connection.close() }
    epoll.close()
    scratch.deallocate()
    events.deallocate()
  }

  /// Starts connecting client `index`; failures are reported to `handler`.
  func open(index: Int, handler: IRCLoadHandler, now: UInt64) {
    let fd = socket(
      AF_INET,
      Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else {
      handler.failedToOpen(index: index, "socket: \(String(cString: strerror(errno)))")
      return
    }
    let connection = LoadConnection(index: index, slot: connections.count, fd: fd)
    connection.startedNs = now
    connections.append(connection)
    var one: Int32 = 1
    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = target
    let rc = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if rc != 0 && errno != EINPROGRESS {
      connection.state = .closed
      _ = Glibc.close(fd)
      handler.failed(connection, "connect: \(String(cString: strerror(errno)))")
      return
    }
    connection.watchesWritable = true
    epoll.set(
      fd, events: Epoll.readable | Epoll.writable | Epoll.readHangUp, data: UInt64(connection.slot),
      add: true)
    if rc == 0 { connected(connection, handler: handler) }
  }

  /// Marks a connection for the end-of-iteration flush.
  @inline(__always)
  func markDirty(_ connection: LoadConnection) {
    if !connection.isDirty {
      connection.isDirty = true
      dirty.append(connection)
    }
  }

  /// Runs until `handler.tick` returns false.
  func run(_ handler: IRCLoadHandler) {
    while true {
      let count = epoll.wait(events, capacity: eventCapacity, timeoutMs: timeoutMs)
      for i in 0..<count {
        let event = Epoll.event(events, i)
        handle(connections[Int(event.data)], event.events, handler: handler)
      }
      let goOn = handler.tick(now: monotonicNanoseconds())
      flushDirty(handler)
      if !goOn { return }
    }
  }

  /// Writes every connection with queued output.
  func flushDirty(_ handler: IRCLoadHandler) {
    for connection in dirty {
      connection.isDirty = false
      guard connection.state == .open else { continue }
      write(connection, handler: handler)
    }
    dirty.removeAll(keepingCapacity: true)
  }

  private func handle(_ connection: LoadConnection, _ flags: UInt32, handler: IRCLoadHandler) {
    switch connection.state {
    case .closed:
      return
    case .connecting:
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      _ = getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length)
      if error != 0 {
        fail(connection, "connect: \(String(cString: strerror(error)))", handler: handler)
      } else if flags & (Epoll.writable | Epoll.error | Epoll.hangUp) != 0 {
        connected(connection, handler: handler)
      }
    case .handshaking:
      continueHandshake(connection, handler: handler)
    case .open:
      if flags & Epoll.writable != 0 {
        if connection.readWantsWrite {
          connection.readWantsWrite = false
          read(connection, handler: handler)
        }
        if connection.state == .open { write(connection, handler: handler) }
      }
      if connection.state == .open
        && flags & (Epoll.readable | Epoll.error | Epoll.hangUp | Epoll.readHangUp) != 0
      {
        read(connection, handler: handler)
      }
    }
  }

  private func connected(_ connection: LoadConnection, handler: IRCLoadHandler) {
    if let tls {
      guard let ssl = SSL_new(tls), SSL_set_fd(ssl, connection.fd) == 1 else {
        fail(connection, "SSL_new failed", handler: handler)
        return
      }
      connection.ssl = ssl
      connection.state = .handshaking
      continueHandshake(connection, handler: handler)
    } else {
      connection.state = .open
      setWritable(connection, false)
      handler.opened(connection)
      markDirty(connection)
    }
  }

  private func continueHandshake(_ connection: LoadConnection, handler: IRCLoadHandler) {
    switch connection.handshake() {
    case .bytes:
      connection.state = .open
      setWritable(connection, false)
      handler.opened(connection)
      markDirty(connection)
      // The server may have sent something already.
      read(connection, handler: handler)
    case .wouldBlock:
      setWritable(connection, SSL_want(connection.ssl) == SSL_WRITING)
    case .endOfStream:
      fail(connection, "closed during the TLS handshake", handler: handler)
    case .failed(let why):
      fail(connection, why, handler: handler)
    }
  }

  private func read(_ connection: LoadConnection, handler: IRCLoadHandler) {
    while connection.state == .open {
      switch connection.readSome(scratch) {
      case .bytes(let n):
        splitLines(connection, UnsafeRawBufferPointer(rebasing: scratch[0..<n]), handler: handler)
        // Level-triggered: when nothing is buffered any more, epoll reports what is left, so a
        // last read() that would only say EAGAIN is saved.
        if let ssl = connection.ssl {
          if SSL_has_pending(ssl) == 0 { return }
        } else if n < scratch.count {
          return
        }
      case .wouldBlock:
        if connection.readWantsWrite { setWritable(connection, true) }
        return
      case .endOfStream:
        fail(connection, "connection closed by the server", handler: handler)
        return
      case .failed(let why):
        fail(connection, why, handler: handler)
        return
      }
    }
  }

  /// Hands every complete line of `data` (without CR LF) to the handler; keeps the rest.
  private func splitLines(
    _ connection: LoadConnection, _ data: UnsafeRawBufferPointer, handler: IRCLoadHandler
  ) {
    guard let base = data.baseAddress else { return }
    var start = 0
    let end = data.count
    if !connection.partial.isEmpty {
      guard let newline = memchr(base, 10, end) else {
        connection.partial.append(contentsOf: data)
        return
      }
      let cut = base.distance(to: UnsafeRawPointer(newline))
      connection.partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[0..<cut]))
      let line = connection.partial
      connection.partial = []
      line.withUnsafeBytes { deliver(connection, $0, handler: handler) }
      start = cut + 1
    }
    while start < end, connection.state == .open {
      guard let newline = memchr(base + start, 10, end - start) else {
        connection.partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[start..<end]))
        return
      }
      let cut = base.distance(to: UnsafeRawPointer(newline))
      deliver(connection, UnsafeRawBufferPointer(rebasing: data[start..<cut]), handler: handler)
      start = cut + 1
    }
  }

  @inline(__always)
  private func deliver(
    _ connection: LoadConnection, _ line: UnsafeRawBufferPointer, handler: IRCLoadHandler
  ) {
    var length = line.count
    if length > 0 && line[length - 1] == 13 { length -= 1 }
    guard length > 0 else { return }
    handler.line(connection, UnsafeRawBufferPointer(rebasing: line[0..<length]))
  }

  private func write(_ connection: LoadConnection, handler: IRCLoadHandler) {
    switch connection.flush() {
    case .bytes:
      setWritable(connection, false)
    case .wouldBlock:
      setWritable(connection, true)
    case .endOfStream:
      fail(connection, "connection closed by the server", handler: handler)
    case .failed(let why):
      fail(connection, why, handler: handler)
    }
  }

  private func setWritable(_ connection: LoadConnection, _ on: Bool) {
    guard connection.watchesWritable != on, connection.state != .closed else { return }
    connection.watchesWritable = on
    epoll.set(
      connection.fd, events: Epoll.readable | Epoll.readHangUp | (on ? Epoll.writable : 0),
      data: UInt64(connection.slot), add: false)
  }

  func fail(_ connection: LoadConnection, _ why: String, handler: IRCLoadHandler) {
    guard connection.state != .closed else { return }
    connection.close()
    handler.failed(connection, why)
  }
}

/// CLOCK_MONOTONIC in nanoseconds (the same clock in every thread of the process).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
}
