import Foundation
import Testing

/// A child process (`openssl s_client`, `lyceumd`) with its stdout and stderr collected in the
/// background, so a test can wait for text to appear with a deadline.
final class ChildProcess: @unchecked Sendable {
  // `@unchecked Sendable`: `output` is guarded by `lock`; the pipes' handlers append to it.
  let process = Process()
  private let input = Pipe()
  private let stdout = Pipe()
  private let stderr = Pipe()
  private let lock = NSLock()
  private var output: [String: String] = ["stdout": "", "stderr": ""]

  /// Starts `executable`; `environment` entries are added to (or replace) the test's own.
  init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    // Under AddressSanitizer, LeakSanitizer would report the parsed command on the main
    // thread's stack as lost once `dispatchMain()` ends that thread, and turn a clean exit
    // into status 1; the exit statuses are what these tests check. No effect otherwise.
    if merged["ASAN_OPTIONS"] == nil { merged["ASAN_OPTIONS"] = "detect_leaks=0" }
    process.environment = merged
    process.standardInput = input
    process.standardOutput = stdout
    process.standardError = stderr
    for (name, pipe) in [("stdout", stdout), ("stderr", stderr)] {
      pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
        let data = handle.availableData
        guard let self, !data.isEmpty else {
          handle.readabilityHandler = nil
          return
        }
        let text = String(decoding: data, as: UTF8.self)
        self.lock.withLock { self.output[name, default: ""] += text }
      }
    }
    try process.run()
  }

  var standardOutput: String { lock.withLock { output["stdout"] ?? "" } }
  var standardError: String { lock.withLock { output["stderr"] ?? "" } }

  func write(_ text: String) throws {
    try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
  }

  func closeInput() { try? input.fileHandleForWriting.close() }

  /// Polls until `condition` holds for (stdout, stderr); throws with both at the deadline.
  func waitFor(
    _ what: String, timeout: Duration = .seconds(10), _ condition: (String, String) -> Bool
  ) throws {
    let deadline = ContinuousClock.now + timeout
    while !condition(standardOutput, standardError) {
      guard ContinuousClock.now < deadline else {
        throw HarnessFailure(
          description: "waiting for \(what) from \(process.executableURL?.path ?? "?"):\n"
            + "stdout:\n\(standardOutput)\nstderr:\n\(standardError)")
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
  }

  /// Waits for the process to exit and returns its status, or nil at the deadline.
  func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      guard ContinuousClock.now < deadline else { return nil }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return process.terminationStatus
  }

  /// Kills the process if it still runs (for cleanup after a failure).
  func kill() {
    if process.isRunning {
      process.terminate()
      _ = waitForExit(timeout: .seconds(2))
    }
  }

  func signal(_ number: Int32) {
    Foundation.kill(process.processIdentifier, number)
  }
}
