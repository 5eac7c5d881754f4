import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension LyceumDatabase {
  /// The byte of the `-shm` file that every connection to a WAL database holds a shared lock on
  /// while it is open: SQLite's "dead-man switch" in its unix VFS (after the 8 lock bytes that
  /// start at offset 120).
  static let sharedMemoryDeadManSwitch: off_t = 128

  /// Whether another process (a running `lyceumd`, or an administration command) has the
  /// database at `path` open: asks with `F_GETLK` whether an exclusive lock on the `-shm`
  /// file's dead-man-switch byte would conflict, without taking any lock.
  ///
  /// Call it before this process opens the database: closing any descriptor of a file drops
  /// every POSIX lock the process holds on it, SQLite's included. A database that is not in
  /// WAL mode, or that no one has open, has no `-shm` file to lock, and is not in use.
  public static func isOpenByAnotherProcess(path: String) -> Bool {
    let descriptor = open(path + "-shm", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var probe = flock()
    probe.l_type = Int16(F_WRLCK)
    probe.l_whence = Int16(SEEK_SET)
    probe.l_start = sharedMemoryDeadManSwitch
    probe.l_len = 1
    guard fcntl(descriptor, F_GETLK, &probe) == 0 else { return false }
    return probe.l_type != Int16(F_UNLCK)
  }
}
