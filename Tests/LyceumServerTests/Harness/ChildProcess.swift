import Foundation
import LyceumClient
import Testing

/// A child process (`openssl s_client`, `lyceumd`, `lyceum`) with its stdout and stderr
/// collected in the background, so a test can wait for text to appear with a deadline. Built on
/// `Subprocess` (posix_spawn and waitpid), not Foundation's `Process`, whose exit notification
/// can be missed from a test's thread and hang the suite.
final class ChildProcess: Sendable {
  let subprocess: Subprocess

  /// Starts `executable`; `environment` entries are added to (or replace) the test's own.
  init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
    var merged = environment
    // Under AddressSanitizer, LeakSanitizer would report the parsed command on the main
    // thread's stack as lost once `dispatchMain()` ends that thread, and turn a clean exit
    // into status 1; the exit statuses are what these tests check. No effect otherwise.
    if ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil, merged["ASAN_OPTIONS"] == nil {
      merged["ASAN_OPTIONS"] = "detect_leaks=0"
    }
    subprocess = try Subprocess(executable, arguments, environment: merged)
  }

  var standardOutput: String { subprocess.standardOutput }
  var standardError: String { subprocess.standardError }

  /// How the process ended, or nil while it runs.
  var termination: Subprocess.Termination? { subprocess.termination }

  func write(_ text: String) throws { try subprocess.write(text) }

  func closeInput() { subprocess.closeInput() }

  /// Waits until `condition` holds for (stdout, stderr); throws with both at the deadline.
  func waitFor(
    _ what: String, timeout: Duration = .seconds(10), _ condition: (String, String) -> Bool
  ) throws {
    let held = subprocess.wait(until: .now + timeout) { stdout, stderr, _ in
      condition(String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
    guard held else {
      throw HarnessFailure(
        description: "waiting for \(what) from \(subprocess.executable):\n"
          + "stdout:\n\(standardOutput)\nstderr:\n\(standardError)")
    }
  }

  /// Waits for the process to exit and returns its exit status (or the signal that ended it),
  /// nil at the deadline.
  func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
    switch subprocess.waitForExit(timeout: timeout) {
    case .exited(let status)?: status
    case .signaled(let signal)?: signal
    case nil: nil
    }
  }

  /// Kills the process if it still runs (for cleanup after a failure).
  func kill() {
    guard subprocess.termination == nil else { return }
    subprocess.signal(SIGTERM)
    if subprocess.waitForExit(timeout: .seconds(2)) == nil {
      subprocess.signal(SIGKILL)
      _ = subprocess.waitForExit(timeout: .seconds(2))
    }
  }

  func signal(_ number: Int32) { subprocess.signal(number) }
}
