import LyceumCore

/// SASL PLAIN and EXTERNAL, and the dispatch of every SASL step to its mechanism.
extension AccountService {
  static let mechanisms = ["PLAIN", "EXTERNAL", "SCRAM-SHA-256"]

  /// One SASL step. The connection's exchange is taken out of the table first and put back only
  /// if it continues, so success, failure and malformed input all drop it.
  func saslStep(_ step: SASLStep) -> AccountResponse {
    let session = state.withLock { $0.sessions.removeValue(forKey: step.connection) }
    if !step.isFirst {
      switch session {
      case .scramAwaitingFinal(let exchange, let account, let credentials, let foldedName):
        return scramFinal(
          step, exchange: exchange, account: account, credentials: credentials,
          foldedName: foldedName)
      case .scramAwaitingAcknowledgement(let summary, let credential):
        return step.response.isEmpty ? .loggedIn(summary, via: credential) : .malformed
      case nil:
        break  // PLAIN and EXTERNAL are one step: treat a lone later step as their only one.
      }
    }
    switch step.mechanism.uppercased() {
    case "PLAIN": return plain(step)
    case "EXTERNAL": return external(step)
    case "SCRAM-SHA-256": return scramFirst(step)
    default: return .malformed
    }
  }

  /// PLAIN (RFC 4616): `authzid NUL authcid NUL passwd`; the authzid must be empty or name the
  /// same account, and the secret may be the password or an API token.
  func plain(_ step: SASLStep) -> AccountResponse {
    let fields = step.response.split(separator: 0, omittingEmptySubsequences: false)
    guard fields.count == 3,
      let authzid = String(validating: fields[0], as: UTF8.self),
      let authcid = String(validating: fields[1], as: UTF8.self),
      let secret = String(validating: fields[2], as: UTF8.self),
      !authcid.isEmpty, !secret.isEmpty
    else { return .malformed }
    let folded = caseMapping.fold(authcid)
    return throttled(ip: step.ip, foldedName: folded) {
      guard authzid.isEmpty || caseMapping.fold(authzid) == folded else { return .refused }
      return checkSecret(secret, foldedName: folded)
    }
  }

  /// EXTERNAL (RFC 4422 appendix A): the TLS client certificate's fingerprint names the account;
  /// the response is empty or an authzid that must name that same account.
  func external(_ step: SASLStep) -> AccountResponse {
    guard let authzid = String(validating: step.response, as: UTF8.self) else { return .malformed }
    let named = authzid.isEmpty ? nil : caseMapping.fold(authzid)
    return throttled(ip: step.ip, foldedName: named) {
      guard let fingerprint = step.certificateFingerprint.map(Self.normalizedFingerprint),
        !fingerprint.isEmpty
      else { return .failure }
      let record: AccountRecord?
      do {
        record = try store.account(certificateFingerprint: fingerprint)
      } catch {
        return .refused
      }
      guard let record,
        record.certificateFingerprints.contains(where: {
          Self.normalizedFingerprint($0) == fingerprint
        }),
        named == nil || named == record.foldedName
      else { return .failure }
      return .success(AccountSummary(record), .certificate(fingerprint: fingerprint))
    }
  }

  /// Lowercase hex without `:` separators, the form the store keeps.
  static func normalizedFingerprint(_ text: String) -> String {
    String(text.lowercased().filter { $0 != ":" })
  }
}
