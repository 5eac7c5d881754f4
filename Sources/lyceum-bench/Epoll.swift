#if canImport(Glibc)
  import Glibc
#endif

/// epoll for Swift on Linux: Glibc's module map leaves out `<sys/epoll.h>`, so the three calls
/// are looked up in libc with `dlsym` and `struct epoll_event` is laid out by hand (packed, 12
/// bytes, on x86_64; 16 bytes elsewhere).
struct Epoll {
  static let readable: UInt32 = 0x001
  static let writable: UInt32 = 0x004
  static let error: UInt32 = 0x008
  static let hangUp: UInt32 = 0x010
  static let readHangUp: UInt32 = 0x2000

  #if arch(x86_64)
    static let eventSize = 12
    static let dataOffset = 4
  #else
    static let eventSize = 16
    static let dataOffset = 8
  #endif

  private typealias Create = @convention(c) (Int32) -> Int32
  private typealias Control =
    @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
  private typealias Wait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

  private let control: Control
  private let waitCall: Wait
  let fd: Int32

  init() throws {
    guard let libc = dlopen(nil, RTLD_NOW), let create = dlsym(libc, "epoll_create1"),
      let control = dlsym(libc, "epoll_ctl"), let wait = dlsym(libc, "epoll_wait")
    else { throw BenchError("epoll is not available") }
    self.control = unsafeBitCast(control, to: Control.self)
    waitCall = unsafeBitCast(wait, to: Wait.self)
    fd = unsafeBitCast(create, to: Create.self)(0x80000)  // EPOLL_CLOEXEC
    guard fd >= 0 else { throw BenchError("epoll_create1: \(String(cString: strerror(errno)))") }
  }

  /// `EPOLL_CTL_ADD` (1) or `EPOLL_CTL_MOD` (3) with `events` and `data`.
  @discardableResult
  func set(_ socket: Int32, events: UInt32, data: UInt64, add: Bool) -> Int32 {
    withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { buffer in
      buffer.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
      buffer.storeBytes(of: data, toByteOffset: Self.dataOffset, as: UInt64.self)
      return control(fd, add ? 1 : 3, socket, buffer.baseAddress)
    }
  }

  /// Waits; fills `buffer` (room for `capacity` events) and returns their number.
  func wait(_ buffer: UnsafeMutableRawPointer, capacity: Int, timeoutMs: Int32) -> Int {
    let n = waitCall(fd, buffer, Int32(capacity), timeoutMs)
    return n > 0 ? Int(n) : 0
  }

  @inline(__always)
  static func event(_ buffer: UnsafeMutableRawPointer, _ index: Int) -> (
    events: UInt32, data: UInt64
  ) {
    let base = buffer + index * eventSize
    return (
      base.loadUnaligned(as: UInt32.self),
      base.loadUnaligned(fromByteOffset: dataOffset, as: UInt64.self)
    )
  }

  func close() {
    _ = Glibc.close(fd)
  }
}
