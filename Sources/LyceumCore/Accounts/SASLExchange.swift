/// The state of one connection's SASL exchange (IRCv3 SASL 3.2, `AUTHENTICATE`).
struct SASLExchange {
  /// `PLAIN`, `EXTERNAL` or `SCRAM-SHA-256`.
  let mechanism: String
  /// Base64 chunks of the client's current response, joined until a chunk shorter than 400.
  var buffer = ""
  /// Whether the first complete response has gone to the account service.
  var sentFirst = false
  /// Waiting for the account service; client input for the exchange is refused meanwhile.
  var awaitingService = false
}

/// What an outstanding account request was, so the answer can be applied.
enum PendingAccountRequest: Equatable {
  case sasl
  case passwordLogin
  case register(account: String)
  /// `ACCOUNTS` or `TOKEN`, named by the command for its `FAIL` replies.
  case admin(command: String)
}
