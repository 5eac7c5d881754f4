import LyceumProtocol

@testable import LyceumCore

/// Helpers for the account tests: summaries the scripted account service answers with, and
/// SASL PLAIN logins played through the core.
enum Accounts {
  static func summary(
    _ name: String, institution: String? = nil, role: AccountRole = .researcher
  ) -> AccountSummary {
    AccountSummary(
      name: name, foldedName: name.lowercased(), institution: institution, role: role)
  }

  /// The base64 of a SASL PLAIN response (`authzid NUL authcid NUL password`).
  static func plain(_ account: String, _ password: String = "secret") -> String {
    Base64.encode(Array("\0\(account)\0\(password)".utf8))
  }
}

extension CoreHarness {
  /// Runs `AUTHENTICATE PLAIN` and one response on `id` and answers it with `loggedIn`,
  /// discarding the account requests it raised. Output stays unread.
  func saslLogin(
    _ id: ClientID, as account: AccountSummary,
    via credential: LoginCredential = .password(stamp: "s1")
  ) {
    send("AUTHENTICATE PLAIN", from: id)
    send("AUTHENTICATE \(Accounts.plain(account.name))", from: id)
    _ = accountRequests()
    answer(.loggedIn(account, via: credential), for: id)
  }

  /// Connects and registers a client that logs in with SASL before `CAP END`, the way an
  /// IRCv3 client with saved credentials does. Its registration output is discarded.
  @discardableResult
  func registerLoggedIn(
    nick: String, as account: AccountSummary, caps: [String] = [], realname: String? = nil,
    ip: String = "198.51.100.7", via credential: LoginCredential = .password(stamp: "s1")
  ) -> ClientID {
    let id = connect(ip: ip)
    send("CAP LS 302", from: id)
    send("CAP REQ :" + (["sasl"] + caps).joined(separator: " "), from: id)
    send("NICK \(nick)", from: id)
    send("USER \(nick.lowercased()) 0 * :\(realname ?? "\(nick) Example")", from: id)
    saslLogin(id, as: account, via: credential)
    send("CAP END", from: id)
    _ = lines(for: id)
    return id
  }

  /// Starts registration with `CAP LS 302`, `CAP REQ sasl`, `NICK` and `USER`, leaving
  /// capability negotiation open so that SASL can run; output is discarded.
  @discardableResult
  func startRegistration(nick: String, caps: [String] = [], certificateFingerprint: String? = nil)
    -> ClientID
  {
    let id = connect(certificateFingerprint: certificateFingerprint)
    send("CAP LS 302", from: id)
    send("CAP REQ :" + (["sasl"] + caps).joined(separator: " "), from: id)
    send("NICK \(nick)", from: id)
    send("USER \(nick.lowercased()) 0 * :\(nick) Example", from: id)
    _ = lines(for: id)
    return id
  }
}

extension IRCMessage {
  /// Whether the message carries tag `key` (with or without a value).
  func hasTag(_ key: String) -> Bool { tags.contains { $0.key == key } }
}
