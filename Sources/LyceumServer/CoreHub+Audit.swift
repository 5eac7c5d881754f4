import Logging
import LyceumCore

extension CoreHub {
  /// Writes an `AuditEvent` to the log: a successful `OPER` at `notice`, a failed or refused
  /// one at `warning`, each with the name given, the client and its address (never the
  /// password), so that guessing shows in the log and can be acted on.
  func log(_ event: AuditEvent) {
    switch event {
    case .oper(let name, let client, let ip, let outcome):
      let who = "OPER \(name) by \(client) from \(ip)"
      switch outcome {
      case .succeeded: logger.notice("\(who): succeeded")
      case .wrongCredentials: logger.warning("\(who): failed, wrong name or password")
      case .hostMismatch: logger.warning("\(who): failed, host does not match the operator's mask")
      case .throttled: logger.warning("\(who): refused, too many failed attempts; disconnected")
      }
    }
  }
}
