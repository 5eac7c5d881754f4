import Foundation
import LyceumProtocol
import LyceumServer
import LyceumTransport
import Testing

/// SASL and account helpers shared by the accounts end-to-end tests.
extension TestClient {
  /// `CAP LS 302` and `CAP REQ`, then waits for the ACK; returns everything seen (LS included).
  @discardableResult
  func requestCapabilities(_ caps: [String]) throws -> [IRCMessage] {
    try send("CAP LS 302")
    try send("CAP REQ :\(caps.joined(separator: " "))")
    let seen = try readUntil("CAP ACK") {
      $0.command == "CAP" && $0.params.count > 2 && ["ACK", "NAK"].contains($0.params[1])
    }
    guard seen.last?.params[1] == "ACK" else { throw failure("CAP REQ was refused") }
    return seen
  }

  /// `NICK nick` and `USER nick 0 * :…`.
  func sendNickAndUser(_ nick: String) throws {
    try send("NICK \(nick)")
    try send("USER \(nick) 0 * :Test user \(nick)")
  }

  /// `PASS account:secret`, NICK and USER in one write, as a script would pipeline them: the
  /// server may answer `464` and close before a later separate write could reach it.
  func sendPassNickAndUser(_ credentials: String, nick: String) throws {
    let lines = ["PASS \(credentials)", "NICK \(nick)", "USER \(nick) 0 * :Test user \(nick)"]
    try sendRaw(
      Array(lines.map { $0 + "\r\n" }.joined().utf8), note: lines.joined(separator: " / "))
  }

  /// Sends `bytes` as a SASL client response: base64 in 400-byte chunks, `+` when empty or
  /// after an exact multiple of 400.
  func sendSASLResponse(_ bytes: [UInt8]) throws {
    let encoded = Array(Base64.encode(bytes).utf8)
    var offset = 0
    while offset < encoded.count {
      let end = min(offset + 400, encoded.count)
      try send("AUTHENTICATE " + String(decoding: encoded[offset..<end], as: UTF8.self))
      offset = end
    }
    if encoded.count % 400 == 0 { try send("AUTHENTICATE +") }
  }

  /// Reads one server challenge (`AUTHENTICATE` chunks up to the last short one or `+`) and
  /// decodes it. Throws if a SASL failure numeric arrives instead.
  func readSASLChallenge() throws -> [UInt8] {
    var encoded = ""
    while true {
      let message = try expect("AUTHENTICATE")
      let chunk = message.params[0]
      if chunk == "+" { break }
      encoded += chunk
      if chunk.utf8.count < 400 { break }
    }
    guard let bytes = encoded.isEmpty ? [] : Base64.decode(encoded) else {
      throw failure("undecodable SASL challenge \(encoded)")
    }
    return bytes
  }

  /// Reads until the end of a SASL exchange (`903`, or `902`/`904`–`907`); returns every
  /// message read, the outcome last.
  @discardableResult
  func readSASLOutcome() throws -> [IRCMessage] {
    try readUntil("the SASL outcome") {
      ["902", "903", "904", "905", "906", "907"].contains($0.command)
    }
  }

  /// `AUTHENTICATE mechanism`, waits for `AUTHENTICATE +`, sends `response`, and returns
  /// what arrived up to the outcome.
  @discardableResult
  func authenticate(_ mechanism: String, _ response: [UInt8]) throws -> [IRCMessage] {
    try send("AUTHENTICATE \(mechanism)")
    try expect("AUTHENTICATE") { $0.params == ["+"] }
    try sendSASLResponse(response)
    return try readSASLOutcome()
  }

  /// SASL PLAIN as `account` with `secret` (no authorization identity).
  @discardableResult
  func authenticatePlain(account: String, secret: String) throws -> [IRCMessage] {
    try authenticate("PLAIN", Array("\0\(account)\0\(secret)".utf8))
  }

  /// A whole connection registration with SASL PLAIN: capabilities (`sasl` plus `caps`), NICK,
  /// USER, AUTHENTICATE, then CAP END; waits for `001` and a PING round trip. Throws unless the
  /// login succeeded. Returns every message seen after the login.
  @discardableResult
  func registerWithPlain(
    nick: String, account: String, password: String, caps: [String] = []
  ) throws -> [IRCMessage] {
    try requestCapabilities(["sasl"] + caps)
    try sendNickAndUser(nick)
    let outcome = try authenticatePlain(account: account, secret: password)
    guard outcome.last?.command == "903" else { throw failure("SASL PLAIN as \(account) failed") }
    try send("CAP END")
    var seen = try readUntil("001") { $0.command == "001" }
    seen += try sync()
    return seen
  }
}

extension [IRCMessage] {
  /// The `900 RPL_LOGGEDIN` numerics' account names.
  var loggedInAccounts: [String] {
    with("900").compactMap { $0.params.count >= 3 ? $0.params[2] : nil }
  }
}

/// Client certificates made for a test in a temporary directory, removed by `remove()`.
struct ClientCertificates {
  let directory = TestServer.makeTemporaryDirectory()

  /// Generates a self-signed certificate and key called `name`; returns their paths and the
  /// certificate's SHA-256 fingerprint as the server's TLS layer computes it.
  func make(_ name: String) throws -> (certificate: String, key: String, fingerprint: String) {
    let certificate = "\(directory)/\(name)-cert.pem"
    let key = "\(directory)/\(name)-key.pem"
    let generated = try TLSContext.generateSelfSigned(
      commonName: name, certificatePath: certificate, keyPath: key)
    let fingerprint = try TLSContext(certificatePath: certificate, keyPath: key)
      .certificateFingerprintSHA256
    #expect(generated == fingerprint)
    return (certificate, key, fingerprint)
  }

  func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Seeds accounts into a data directory before the server opens it.
enum AccountSeed {
  /// Creates `name` with `settings` in the database of `dataDirectory`.
  static func account(
    _ dataDirectory: String, _ name: String, _ settings: AccountSettings
  ) throws {
    try AccountAdministration.open(dataDirectory: dataDirectory, creating: true)
      .createAccount(name: name, settings: settings)
  }

  /// Creates the bot account `name` (role bot) with the token `tokenName`; returns its secret.
  static func bot(_ dataDirectory: String, _ name: String, tokenName: String) throws -> String {
    let administration = try AccountAdministration.open(
      dataDirectory: dataDirectory, creating: true)
    try administration.createAccount(name: name, settings: AccountSettings(role: "bot"))
    return try administration.createToken(account: name, tokenName: tokenName)
  }
}
