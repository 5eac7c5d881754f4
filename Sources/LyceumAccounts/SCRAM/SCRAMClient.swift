import LyceumProtocol

/// Client side of SCRAM-SHA-256 (RFC 5802/7677), for tests and later the companion client.
///
/// Sends the gs2 header `n,,` (no channel binding, no authorization identity). Call
/// `clientFirst()`, then `clientFinal(serverFirst:)` with the server's first challenge, then
/// `verify(serverFinal:)` with the last one: only a server that knows the password's keys can
/// produce a server-final that verifies, so a client must not trust the login until it does.
public struct SCRAMClient: Sendable {
  private let username: String
  private let password: String
  private let clientNonce: String
  private var clientFirstBare = ""
  private var expectedServerSignature: [UInt8]?

  static let gs2Header = "n,,"

  /// `nonce` is for reproducible tests (RFC test vectors); leave it nil to get a random one.
  public init(username: String, password: String, nonce: String? = nil) {
    self.username = username
    self.password = password
    self.clientNonce = nonce ?? SCRAMSyntax.randomNonce()
  }

  /// `n,,n=<user>,r=<client nonce>`.
  public mutating func clientFirst() -> [UInt8] {
    clientFirstBare = "n=\(SCRAMSyntax.escapeName(username)),r=\(clientNonce)"
    return Array((Self.gs2Header + clientFirstBare).utf8)
  }

  /// `c=biws,r=<nonce>,p=<ClientProof>` for the server's `r=…,s=…,i=…`. Throws if the server's
  /// message is malformed, its nonce does not extend ours, or its iteration count is absurd.
  public mutating func clientFinal(serverFirst: [UInt8]) throws -> [UInt8] {
    guard let text = String(validating: serverFirst, as: UTF8.self),
      let attributes = SCRAMSyntax.attributes(Substring(text)), attributes.count >= 3,
      attributes[0].name == "r", attributes[1].name == "s", attributes[2].name == "i"
    else { throw SCRAMError.malformedServerMessage }
    let nonce = attributes[0].value
    guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count,
      SCRAMSyntax.isValidNonce(nonce)
    else { throw SCRAMError.nonceMismatch }
    guard let salt = Base64.decode(attributes[1].value), !salt.isEmpty,
      let iterations = Int(attributes[2].value), (1...10_000_000).contains(iterations)
    else { throw SCRAMError.malformedServerMessage }

    let keys = SCRAMKeys(password: Array(password.utf8), salt: salt, iterations: iterations)
    let withoutProof = "c=\(Base64.encode(Array(Self.gs2Header.utf8))),r=\(nonce)"
    let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
    let clientSignature = Crypto.hmacSHA256(key: keys.storedKey, data: authMessage)
    let proof = SCRAMSyntax.xor(keys.clientKey, clientSignature)
    expectedServerSignature = Crypto.hmacSHA256(key: keys.serverKey, data: authMessage)
    return Array("\(withoutProof),p=\(Base64.encode(proof))".utf8)
  }

  /// Whether the server's `v=<ServerSignature>` proves it knows the password's keys.
  public func verify(serverFinal: [UInt8]) -> Bool {
    guard let expected = expectedServerSignature,
      let text = String(validating: serverFinal, as: UTF8.self), text.hasPrefix("v="),
      let signature = Base64.decode(text.dropFirst(2))
    else { return false }
    return Crypto.constantTimeEqual(signature, expected)
  }
}

/// Why `SCRAMClient` gave up on a server's message.
public enum SCRAMError: Error, Equatable, Sendable {
  case malformedServerMessage
  /// The server's nonce does not start with the client's, or adds nothing to it.
  case nonceMismatch
}
