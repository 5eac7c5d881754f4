import Dispatch
import Foundation
import Logging
import LyceumServer

/// Routes the process signals to the server: SIGHUP reloads, SIGTERM and SIGINT shut down.
enum SignalHandlers {
  /// The Dispatch sources, kept alive for the life of the process.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  /// Installs the handlers on the main queue. Each signal's default action is ignored first, so
  /// that the Dispatch source (not the default action) receives it.
  static func install(server: LyceumServer, logger: Logger) {
    var stopping = false
    let stop = { (name: String) in
      if stopping {
        logger.warning("\(name) again: exiting without waiting")
        exit(1)
      }
      stopping = true
      logger.notice("\(name): shutting down")
      server.shutdown { exit(0) }
    }
    sources = [
      make(SIGHUP) {
        logger.notice("SIGHUP: reloading configuration")
        server.reload()
      },
      make(SIGTERM) { stop("SIGTERM") },
      make(SIGINT) { stop("SIGINT") },
    ]
  }

  private static func make(_ number: Int32, handler: @escaping () -> Void)
    -> any DispatchSourceSignal
  {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
    source.setEventHandler(handler: handler)
    source.resume()
    return source
  }
}

/// Writes one line to standard error with `write(2)`; Glibc's `stderr` is not
/// concurrency-safe in Swift 6.
func writeToStandardError(_ message: String) {
  var line = message + "\n"
  line.withUTF8 { bytes in
    _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count)
  }
}
