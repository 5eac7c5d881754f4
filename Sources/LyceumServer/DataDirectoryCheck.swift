import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The server will not run on a data directory it cannot write: history, accounts and rooms
/// live there, and a server that starts anyway delivers what it cannot keep.
public struct DataDirectoryNotWritable: Error, CustomStringConvertible {
  public let path: String
  public let reason: String

  public var description: String {
    "the data directory \(path) is not writable (\(reason)); lyceumd keeps its history, "
      + "accounts and rooms there and does not run without it"
  }
}

enum DataDirectoryCheck {
  /// Writes, syncs and removes a small probe file in `directory`: a read-only mount, missing
  /// permissions, an immutable directory or a full disk fail here, before anything is served.
  static func requireWritable(_ directory: String) throws {
    let probe = directory + "/.lyceum-write-probe-\(getpid())"
    let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw failure(directory, "open", errno) }
    defer { unlink(probe) }
    let page = [UInt8](repeating: 0, count: 4096)
    let written = page.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let writeErrno = errno
    let synced = written == page.count ? fsync(fd) : -1
    let syncErrno = errno
    close(fd)
    if written != page.count {
      throw failure(directory, "write", written < 0 ? writeErrno : ENOSPC)
    }
    if synced != 0 { throw failure(directory, "fsync", syncErrno) }
  }

  private static func failure(_ directory: String, _ call: String, _ code: Int32)
    -> DataDirectoryNotWritable
  {
    DataDirectoryNotWritable(path: directory, reason: "\(call): \(String(cString: strerror(code)))")
  }
}
