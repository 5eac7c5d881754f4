/// What the session tells its driver, beside the lines to send: the moments a program waits for
/// (registered, logged in, a room joined, a labelled command answered) and the failures it must
/// report. The screen does not need these: it redraws from the model after every step.
public enum SessionEvent: Equatable, Sendable {
  /// A line for the server (without CR LF).
  case send(String)
  /// `001` arrived: registration is complete under this nick.
  case registered(nick: String)
  /// SASL or `REGISTER` logged us in to this account.
  case loggedIn(account: String)
  /// The login was refused (wrong password, unknown account, revoked token …).
  case loginFailed(reason: String)
  /// We are in this room now (its names list ended).
  case joined(channel: String)
  /// A `JOIN` was refused (`473`, `474`, `475`, `403` …).
  case joinFailed(channel: String, reason: String)
  /// A labelled command was answered. `accepted` is false for `FAIL` and error numerics.
  case labelAnswered(label: String, accepted: Bool, reason: String)
  /// A history request for `target` finished (the buffer has the lines).
  case historyLoaded(target: String, count: Int)
  /// The server closed the link with `ERROR`.
  case closedByServer(reason: String)
}
