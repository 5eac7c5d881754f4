import Foundation
import Logging

/// Every log line a `TestServer` wrote, kept in memory so that a test can read what the server
/// said (and check what it must never say).
final class LogCapture: @unchecked Sendable {
  // `@unchecked Sendable`: `lines` is guarded by `lock`.
  private let lock = NSLock()
  private var lines: [String] = []

  func append(_ line: String) { lock.withLock { lines.append(line) } }

  /// Every line so far, in order.
  var all: [String] { lock.withLock { lines } }

  /// A logger whose handler appends to this capture, at `level`.
  func logger(label: String, level: Logger.Level) -> Logger {
    var logger = Logger(label: label) { [self] label in
      CapturingLogHandler(label: label, capture: self)
    }
    logger.logLevel = level
    return logger
  }
}

/// A `LogHandler` that formats each event as `LEVEL label: message key=value…` into a
/// `LogCapture`, and echoes warnings and errors to stderr.
struct CapturingLogHandler: LogHandler {
  let label: String
  let capture: LogCapture
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
    let line = "\(event.level) \(label): \(event.message)\(fields)"
    capture.append(line)
    // What the default handler used to print stays visible in the test output.
    if event.level >= .warning {
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
  }
}
