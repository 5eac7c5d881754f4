/// Ending the sessions whose login no longer holds: the account was deleted (or deleted and
/// created again under its name), or the credential the session proved was revoked — a token
/// revoked, the password changed, a certificate removed. Like ergo on `UNREGISTER`, such a
/// session is disconnected (`ERROR :Closing Link: … (<reason>)`, and `QUIT` to its peers when it
/// was its client's last), not silently kept or quietly logged out: the person sees at once
/// that the credential is no longer good, and no state stays that the account granted.
///
/// Changes made over IRC (`ACCOUNTS`, `TOKEN`) take effect at once; changes made with
/// `lyceumd account` / `lyceumd token` (another process) at the server's next reload
/// (SIGHUP or `REHASH`), which reads every account's credentials back from the store.
extension IRCServerCore {
  /// Ends the sessions logged in to the account `folded` that `current` does not accept any
  /// more; all of them when `current` is nil (the account was deleted). A password change
  /// spares the session that asked for it, which stays logged in under the new password (it
  /// knew the old one and set the new one); a revoked token or a deleted account ends every
  /// session that used it, the requester's too.
  func endRevokedSessions(
    ofAccount folded: String, accepting current: AccountCredentials?, requestedBy: Session? = nil
  ) {
    for client in clients(ofAccount: folded) {
      for session in client.sessions {
        guard let reason = revocation(of: session, client: client, current: current) else {
          continue
        }
        if session === requestedBy, let current, case .password = session.login,
          let stamp = current.passwordStamp
        {
          session.login = .password(stamp: stamp)
          continue
        }
        disconnect(session.id, reason: reason)
      }
    }
  }

  /// After a reload: ends every session whose account is gone from `current` (by folded name)
  /// or no longer accepts its login. `asOf` is the wall-clock time `current` was read at: a
  /// session that logged in after it may have used a credential created since, so it is not
  /// judged by this (older) reading.
  public func endRevokedSessions(_ current: [String: AccountCredentials], asOf: Int64) {
    for folded in accountIndex.loggedInAccounts {
      for client in clients(ofAccount: folded) {
        for session in client.sessions where session.loggedInAtMilliseconds < asOf {
          guard
            let reason = revocation(of: session, client: client, current: current[folded])
          else { continue }
          disconnect(session.id, reason: reason)
        }
      }
    }
  }

  /// Why `session` (of `client`) may not stay logged in under `current`, or nil if it may. A
  /// session that did not log in itself (`login` nil) is judged only by the account existing.
  private func revocation(of session: Session, client: Client, current: AccountCredentials?)
    -> String?
  {
    guard let current,
      client.account.map({ $0.createdAtMilliseconds == current.createdAtMilliseconds }) ?? false
    else { return "Account deleted" }
    guard let login = session.login, !current.accepts(login) else { return nil }
    switch login {
    case .password: return "Password changed"
    case .token: return "Token revoked"
    case .certificate: return "Certificate removed"
    }
  }
}
