import LyceumProtocol

/// The server's side of one SCRAM-SHA-256 exchange (RFC 5802 §5, RFC 7677), independent of
/// accounts and of IRC: parse client-first, answer server-first, check client-final.
///
/// Channel binding is not offered (Lyceum does not advertise `-PLUS`), so a gs2 header of `n`
/// or `y` is accepted and `p=` is refused, as RFC 5802 §6 describes.
struct SCRAMServerExchange {
  /// What the first client message says.
  struct ClientFirst: Equatable {
    /// `n,,` or `y,,` or with an `a=` authzid: echoed back, base64-encoded, in client-final `c=`.
    var gs2Header: String
    /// The unescaped `a=` authorization identity, if any.
    var authorizationIdentity: String?
    var username: String
    var clientNonce: String
    var bare: String
  }

  /// The outcome of the client's final message.
  enum Verdict: Equatable {
    /// The proof is right for `keys[keyIndex]`: send `serverFinal` and wait for the client's
    /// empty acknowledgement.
    case valid(serverFinal: [UInt8], keyIndex: Int)
    /// Well-formed, but the proof does not match the stored key.
    case invalidProof
    case malformed
  }

  /// Parses `gs2-header client-first-bare`; nil when malformed, when channel binding is required
  /// (`p=`), when a mandatory extension (`m=`) is present, or when the name fails SASLprep.
  static func parseClientFirst(_ bytes: [UInt8]) -> ClientFirst? {
    guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
    let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "n" || parts[0] == "y" else { return nil }
    var authorizationIdentity: String?
    if !parts[1].isEmpty {
      guard parts[1].hasPrefix("a="), let name = SCRAMSyntax.unescapeName(parts[1].dropFirst(2)),
        SCRAMSyntax.isAcceptableName(name)
      else { return nil }
      authorizationIdentity = name
    }
    let bare = parts[2]
    guard let attributes = SCRAMSyntax.attributes(bare), attributes.count >= 2,
      attributes[0].name == "n", attributes[1].name == "r",
      let username = SCRAMSyntax.unescapeName(attributes[0].value),
      SCRAMSyntax.isAcceptableName(username), SCRAMSyntax.isValidNonce(attributes[1].value)
    else { return nil }
    let header = text[..<bare.startIndex]
    return ClientFirst(
      gs2Header: String(header), authorizationIdentity: authorizationIdentity,
      username: username, clientNonce: String(attributes[1].value), bare: String(bare))
  }

  let clientFirst: ClientFirst
  let salt: [UInt8]
  let iterations: Int
  /// StoredKey and ServerKey of one secret the exchange may be proved with.
  struct KeyPair: Equatable {
    let storedKey: [UInt8]
    let serverKey: [UInt8]
  }

  /// The secrets that may prove this exchange, all derived with `salt` and `iterations`: the
  /// account's password, then its API tokens.
  let keys: [KeyPair]
  let nonce: String
  /// `r=<client nonce + server nonce>,s=<salt>,i=<iterations>`, sent as the first challenge.
  let serverFirst: String

  init(
    clientFirst: ClientFirst, salt: [UInt8], iterations: Int, keys: [KeyPair],
    serverNonce: String = SCRAMSyntax.randomNonce()
  ) {
    self.clientFirst = clientFirst
    self.salt = salt
    self.iterations = iterations
    self.keys = keys
    nonce = clientFirst.clientNonce + serverNonce
    serverFirst = "r=\(nonce),s=\(Base64.encode(salt)),i=\(iterations)"
  }

  /// One secret's exchange.
  init(
    clientFirst: ClientFirst, salt: [UInt8], iterations: Int, storedKey: [UInt8],
    serverKey: [UInt8], serverNonce: String = SCRAMSyntax.randomNonce()
  ) {
    self.init(
      clientFirst: clientFirst, salt: salt, iterations: iterations,
      keys: [KeyPair(storedKey: storedKey, serverKey: serverKey)], serverNonce: serverNonce)
  }

  /// Checks `c=…,r=…[,ext…],p=<proof>`: the echoed gs2 header, the combined nonce, and the
  /// ClientProof against each StoredKey in turn (RFC 5802 §3), each in constant time.
  func verify(clientFinal bytes: [UInt8]) -> Verdict {
    // The proof is last and base64 has no `,`, so the last `,` ends client-final-without-proof.
    guard let text = String(validating: bytes, as: UTF8.self),
      let comma = text.lastIndex(of: ","), text[comma...].hasPrefix(",p=")
    else { return .malformed }
    let withoutProof = text[..<comma]
    guard let attributes = SCRAMSyntax.attributes(withoutProof), attributes.count >= 2,
      attributes[0].name == "c", attributes[1].name == "r",
      let binding = Base64.decode(attributes[0].value),
      binding == Array(clientFirst.gs2Header.utf8),
      attributes[1].value == nonce,
      let proof = Base64.decode(text[comma...].dropFirst(3)), proof.count == 32
    else { return .malformed }
    let authMessage = Array("\(clientFirst.bare),\(serverFirst),\(withoutProof)".utf8)
    for (index, key) in keys.enumerated() {
      let clientSignature = Crypto.hmacSHA256(key: key.storedKey, data: authMessage)
      let clientKey = SCRAMSyntax.xor(proof, clientSignature)
      guard Crypto.constantTimeEqual(Crypto.sha256(clientKey), key.storedKey) else { continue }
      let serverSignature = Crypto.hmacSHA256(key: key.serverKey, data: authMessage)
      return .valid(
        serverFinal: Array("v=\(Base64.encode(serverSignature))".utf8), keyIndex: index)
    }
    return .invalidProof
  }
}
