import Foundation
import LyceumClient
import LyceumServer
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The server refuses to start on a data directory it cannot write, and says why.
@Suite(.serialized) struct ReadOnlyDataDirectoryTests {
  /// Whether a file can be created in `directory` now.
  private static func canWrite(in directory: String) -> Bool {
    let probe = directory + "/.can-write-\(UUID().uuidString)"
    let fd = open(probe, O_WRONLY | O_CREAT, 0o600)
    guard fd >= 0 else { return false }
    close(fd)
    unlink(probe)
    return true
  }

  /// Makes `directory` read-only for this process: `chmod 555`, and for root (whom permission
  /// bits do not stop) `chattr +i`. Returns how, or nil when this machine cannot do it.
  private static func makeReadOnly(_ directory: String) -> String? {
    chmod(directory, 0o555)
    if !canWrite(in: directory) { return "chmod 555" }
    _ = try? Subprocess.run("/usr/bin/chattr", ["+i", directory])
    return canWrite(in: directory) ? nil : "chattr +i (running as root)"
  }

  private static func makeWritable(_ directory: String) {
    _ = try? Subprocess.run("/usr/bin/chattr", ["-i", directory])
    chmod(directory, 0o700)
  }

  @Test func lyceumdExitsWithStatusOneAndSaysWhy() throws {
    let binary = try #require(Lyceumd.binaryPath, Lyceumd.missingBinaryNote)
    // A directory the server has used before (database and certificate in it), now read-only.
    let directory = TestServer.makeTemporaryDirectory()
    defer {
      Self.makeWritable(directory)
      try? FileManager.default.removeItem(atPath: directory)
    }
    try TestServer(reusing: directory, prepare: { _ in }).stop(keepingData: true)
    guard let how = Self.makeReadOnly(directory) else {
      Issue.record("this machine cannot make a directory read-only: the check is not tested")
      return
    }
    let daemon = try ChildProcess(
      binary,
      [
        "serve", "--data-dir", directory, "--listen", "127.0.0.1:0", "--tls-listen",
        "127.0.0.1:0",
      ])
    defer { daemon.kill() }
    let status = daemon.waitForExit(timeout: .seconds(20))
    #expect(status == 1, "read-only by \(how); stderr:\n\(daemon.standardError)")
    #expect(
      daemon.standardError.contains("is not writable"),
      "read-only by \(how); stderr:\n\(daemon.standardError)")
  }

  @Test func theServerDoesNotStartInProcessEither() throws {
    let directory = TestServer.makeTemporaryDirectory()
    defer {
      Self.makeWritable(directory)
      try? FileManager.default.removeItem(atPath: directory)
    }
    guard let how = Self.makeReadOnly(directory) else {
      Issue.record("this machine cannot make a directory read-only: the check is not tested")
      return
    }
    #expect(throws: DataDirectoryNotWritable.self, "read-only by \(how)") {
      try TestServer(reusing: directory, prepare: { _ in }).stop(keepingData: true)
    }
  }
}
