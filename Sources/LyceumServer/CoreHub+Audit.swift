import Logging
import LyceumCore

extension CoreHub {
  /// Writes an `AuditEvent` to the log: successes at `notice`, failures and refusals at
  /// `warning`, each with the name given, the client and its address (never the password or
  /// token), so that guessing shows in the log and can be acted on.
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
    case .login(let method, let account, let client, let ip, let outcome):
      let who =
        "\(method) login\(account.map { " to account \($0)" } ?? "") by \(client) from \(ip)"
      switch outcome {
      case .succeeded: logger.notice("\(who): succeeded")
      case .failed(let why): logger.warning("\(who): failed (\(why))")
      case .throttled: logger.warning("\(who): refused, too many failed attempts")
      }
    case .accountChange(let command, let client, let account, let ip, let succeeded):
      let what = "\(command)\(account.map { " of account \($0)" } ?? "") by \(client) from \(ip)"
      if succeeded {
        logger.notice("\(what): done")
      } else {
        logger.warning("\(what): refused")
      }
    }
  }
}
