import Glibc

/// Raises the soft limit on open files to the hard limit.
///
/// Each connection holds a descriptor, and a second one (a `dup` of the socket for the write
/// source, a libdispatch epoll workaround) from the first time its writes block; the usual soft
/// limit of 1024 would cap a server near 800 clients. Returns the new soft limit.
@discardableResult
func raiseFileDescriptorLimit() -> Int {
  var limit = rlimit()
  guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
  if limit.rlim_cur < limit.rlim_max {
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
  }
  return Int(limit.rlim_cur)
}
