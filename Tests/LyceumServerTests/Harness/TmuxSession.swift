import Foundation
import LyceumClient
import Testing

/// A program running in a detached tmux session of a fixed size, read back with
/// `capture-pane`: how the tests see the full-screen client exactly as a user would.
final class TmuxSession {
  let name: String
  static var tmuxPath: String? {
    ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Starts `command` (a shell command line) in a new session `width`×`height`.
  init(command: String, width: Int = 100, height: Int = 30) throws {
    name = "lyceum-test-\(UUID().uuidString.prefix(8))"
    try Self.tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
  }

  deinit { _ = try? Self.tmux(["kill-session", "-t", name]) }

  /// Types keys (tmux key names such as `Enter`, `Escape`, `PageUp`, or literal text with `-l`).
  func send(_ keys: String...) throws { try Self.tmux(["send-keys", "-t", name] + keys) }

  /// Types text literally, then Enter.
  func type(_ text: String) throws {
    try Self.tmux(["send-keys", "-t", name, "-l", text])
    try Self.tmux(["send-keys", "-t", name, "Enter"])
  }

  /// Resizes the window, as a user dragging the terminal's corner would.
  func resize(width: Int, height: Int) throws {
    try Self.tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
  }

  /// The screen as text, one string per row.
  func screen() throws -> [String] {
    let output = try Self.tmux(["capture-pane", "-p", "-t", name])
    return output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// Polls the screen until `condition` holds; throws with the screen at the deadline.
  @discardableResult
  func waitFor(
    _ what: String, timeout: Duration = .seconds(15), _ condition: ([String]) -> Bool
  ) throws -> [String] {
    let deadline = ContinuousClock.now + timeout
    while true {
      let rows = try screen()
      if condition(rows) { return rows }
      guard ContinuousClock.now < deadline else {
        throw HarnessFailure(
          description: "waiting for \(what); the screen was:\n" + rows.joined(separator: "\n"))
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  @discardableResult
  static func tmux(_ arguments: [String]) throws -> String {
    guard let path = tmuxPath else { throw HarnessFailure(description: "tmux is not installed") }
    let result = try Subprocess.run(path, arguments, timeout: .seconds(20))
    let text = result.standardOutput + result.standardError
    guard result.termination == .exited(0) else {
      throw HarnessFailure(description: "tmux \(arguments.joined(separator: " ")): \(text)")
    }
    return text
  }
}
