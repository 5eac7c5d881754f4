#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outcome of a non-blocking call: done, or "try again when the descriptor is ready".
/// `EAGAIN` is a normal value here, not an error.
package enum IOResult<Value> {
  case processed(Value)
  case wouldBlock
}

/// System calls wrapped once: `EINTR` is retried, `EAGAIN`/`EWOULDBLOCK` becomes `.wouldBlock`,
/// and every other failure throws a `TransportError` carrying the call's name and `errno`.
package enum Syscall {
  package static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int)
    throws(TransportError) -> IOResult<Int>
  {
    while true {
      let n = Glibc.read(fd, buffer, count)
      if n >= 0 { return .processed(n) }
      let code = errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
      throw .posix("read", code)
    }
  }

  package static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int)
    throws(TransportError) -> IOResult<Int>
  {
    while true {
      let n = Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
      if n >= 0 { return .processed(n) }
      let code = errno
      if code == EINTR { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
      throw .posix("write", code)
    }
  }

  /// Accepts one connection and returns its descriptor (close-on-exec, like every descriptor the
  /// server opens) and peer address.
  static func accept(_ fd: Int32) throws(TransportError) -> IOResult<(Int32, sockaddr_storage)> {
    var storage = sockaddr_storage()
    while true {
      var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let client = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fd, $0, &length) }
      }
      if client >= 0 {
        // accept4 is not visible through Glibc's module; the flag is set right after instead.
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        return .processed((client, storage))
      }
      let code = errno
      if code == EINTR || code == ECONNABORTED { continue }
      if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
      throw .posix("accept", code)
    }
  }

  /// Closes a descriptor. `EINTR` is not retried: on Linux the descriptor is already released.
  package static func close(_ fd: Int32) {
    _ = Glibc.close(fd)
  }

  package static func setNonBlocking(_ fd: Int32) throws(TransportError) {
    let flags = fcntl(fd, F_GETFL)
    if flags < 0 { throw .posix("fcntl(F_GETFL)", errno) }
    if fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 { throw .posix("fcntl(F_SETFL)", errno) }
  }

  package static func setOption(
    _ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String
  )
    throws(TransportError)
  {
    var value = value
    if setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) != 0 {
      throw .posix("setsockopt(\(label))", errno)
    }
  }

  /// The local address a socket is bound to.
  static func localAddress(_ fd: Int32) throws(TransportError) -> sockaddr_storage {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let rc = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    if rc != 0 { throw .posix("getsockname", errno) }
    return storage
  }

  /// Waits until `fd` is readable or writable; returns false on timeout.
  package static func poll(_ fd: Int32, events: Int16, timeoutMilliseconds: Int32)
    throws(TransportError)
    -> Bool
  {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    while true {
      let rc = Glibc.poll(&entry, 1, timeoutMilliseconds)
      if rc > 0 { return true }
      if rc == 0 { return false }
      let code = errno
      if code == EINTR { continue }
      throw .posix("poll", code)
    }
  }
}

/// A socket address as the numeric host text (IPv6 without brackets) and port.
struct NumericAddress {
  var host: String
  var port: Int

  init(_ storage: sockaddr_storage) {
    var storage = storage
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    switch Int32(storage.ss_family) {
    case AF_INET:
      let (address, port) = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          ($0.pointee.sin_addr, $0.pointee.sin_port)
        }
      }
      var copy = address
      inet_ntop(AF_INET, &copy, &text, socklen_t(text.count))
      self.port = Int(UInt16(bigEndian: port))
    case AF_INET6:
      let (address, port) = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          ($0.pointee.sin6_addr, $0.pointee.sin6_port)
        }
      }
      var copy = address
      inet_ntop(AF_INET6, &copy, &text, socklen_t(text.count))
      self.port = Int(UInt16(bigEndian: port))
    default:
      self.port = 0
    }
    self.host = String(
      decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; show them as plain IPv4.
    if host.hasPrefix("::ffff:"), host.contains(".") {
      host = String(host.dropFirst(7))
    }
  }
}

/// Builds a `sockaddr_storage` for a numeric IPv4 or IPv6 host and a port.
package func makeSocketAddress(host: String, port: Int) throws(TransportError) -> (
  sockaddr_storage, socklen_t
) {
  guard (0...65535).contains(port) else { throw .invalid("bind", "port \(port) out of range") }
  var storage = sockaddr_storage()
  let hostText =
    host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
  var v4 = in_addr()
  if inet_pton(AF_INET, hostText, &v4) == 1 {
    withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
        $0.pointee.sin_family = sa_family_t(AF_INET)
        $0.pointee.sin_port = UInt16(port).bigEndian
        $0.pointee.sin_addr = v4
      }
    }
    return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
  }
  var v6 = in6_addr()
  if inet_pton(AF_INET6, hostText, &v6) == 1 {
    withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
        $0.pointee.sin6_family = sa_family_t(AF_INET6)
        $0.pointee.sin6_port = UInt16(port).bigEndian
        $0.pointee.sin6_addr = v6
      }
    }
    return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
  }
  throw .invalid("inet_pton", "not a numeric IP address: \(host)")
}
