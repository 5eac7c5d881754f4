import COpenSSL
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bare TCP socket for tests that must not behave like a client: one that connects and says
/// nothing, or sends half a TLS handshake and stops. It connects from a chosen loopback
/// address, so that its silence counts against that address's share of handshake slots and
/// not against 127.0.0.1, where the other tests' clients come from.
final class RawSocket {
  let fd: Int32

  init(from source: String = "127.0.0.1", to port: Int) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessFailure(description: "socket: errno \(errno)") }
    var local = sockaddr_in()
    local.sin_family = sa_family_t(AF_INET)
    local.sin_addr.s_addr = inet_addr(source)
    var remote = sockaddr_in()
    remote.sin_family = sa_family_t(AF_INET)
    remote.sin_port = in_port_t(UInt16(port).bigEndian)
    remote.sin_addr.s_addr = inet_addr("127.0.0.1")
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &local) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    let connected = withUnsafePointer(to: &remote) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
    }
    guard bound == 0, connected == 0 else {
      let error = errno
      close(fd)
      throw HarnessFailure(description: "bind/connect from \(source): errno \(error)")
    }
  }

  deinit { close(fd) }

  func write(_ bytes: [UInt8]) throws {
    let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw HarnessFailure(description: "write: errno \(errno)") }
  }

  /// What the peer sent within `timeout` (waiting for the first bytes, then taking what has
  /// arrived); empty when nothing came.
  func readSome(timeout: Duration) -> [UInt8] {
    guard waitReadable(timeout) else { return [] }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    return count > 0 ? Array(buffer[0..<count]) : []
  }

  /// Whether the peer closed the connection (end of stream or a reset) within `timeout`;
  /// whatever data comes before the end is skipped.
  func seesEnd(within timeout: Duration) -> Bool {
    let deadline = ContinuousClock.now + timeout
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero, waitReadable(remaining) else { return false }
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) { return true }
    }
  }

  private func waitReadable(_ timeout: Duration) -> Bool {
    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + 1)
    return poll(&poller, 1, milliseconds) == 1
  }

  /// A TLS ClientHello as a real client would send it first (OpenSSL's defaults).
  static func clientHello() throws -> [UInt8] {
    guard let context = SSL_CTX_new(TLS_client_method()) else {
      throw HarnessFailure(description: "SSL_CTX_new")
    }
    defer { SSL_CTX_free(context) }
    guard let ssl = SSL_new(context), let input = BIO_new(BIO_s_mem()),
      let output = BIO_new(BIO_s_mem())
    else { throw HarnessFailure(description: "SSL_new/BIO_new") }
    defer { SSL_free(ssl) }  // frees both BIOs, which `SSL_set_bio` gave it
    SSL_set_bio(ssl, input, output)
    SSL_set_connect_state(ssl)
    _ = SSL_do_handshake(ssl)
    var hello = [UInt8](repeating: 0, count: lyc_BIO_pending(output))
    let count = hello.withUnsafeMutableBytes {
      BIO_read(output, $0.baseAddress, Int32($0.count))
    }
    guard count > 0 else { throw HarnessFailure(description: "no ClientHello written") }
    return Array(hello[0..<Int(count)])
  }
}
