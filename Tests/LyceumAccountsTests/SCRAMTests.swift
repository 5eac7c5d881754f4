import LyceumProtocol
import Testing

@testable import LyceumAccounts

/// The exchange of RFC 7677 §3 (user "user", password "pencil"), driven through both sides.
@Suite struct SCRAMRFC7677Tests {
  static let clientNonce = "rOprNGfwEbeRWgbNEkqO"
  static let serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
  static let salt = "W22ZaJ0SNY7soEsUEjb6gQ=="
  static let clientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
  static let serverFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
  static let clientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
  static let serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

  static func rfcServer() throws -> SCRAMServerExchange {
    let parsed = try #require(SCRAMServerExchange.parseClientFirst(Array(clientFirst.utf8)))
    let salt = try #require(Base64.decode(Self.salt))
    let keys = SCRAMKeys(password: Array("pencil".utf8), salt: salt, iterations: 4096)
    return SCRAMServerExchange(
      clientFirst: parsed, salt: salt, iterations: 4096, storedKey: keys.storedKey,
      serverKey: keys.serverKey, serverNonce: serverNonce)
  }

  @Test func clientProducesTheRFCMessages() throws {
    var client = SCRAMClient(username: "user", password: "pencil", nonce: Self.clientNonce)
    #expect(String(decoding: client.clientFirst(), as: UTF8.self) == Self.clientFirst)
    let final = try client.clientFinal(serverFirst: Array(Self.serverFirst.utf8))
    #expect(String(decoding: final, as: UTF8.self) == Self.clientFinal)
    #expect(client.verify(serverFinal: Array(Self.serverFinal.utf8)))
    #expect(
      !client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=".utf8)))
  }

  @Test func serverProducesTheRFCMessages() throws {
    let server = try Self.rfcServer()
    #expect(server.clientFirst.username == "user")
    #expect(server.serverFirst == Self.serverFirst)
    #expect(
      server.verify(clientFinal: Array(Self.clientFinal.utf8))
        == .valid(serverFinal: Array(Self.serverFinal.utf8), keyIndex: 0))
  }

  @Test func serverRejectsATamperedProofOrNonceOrBinding() throws {
    let server = try Self.rfcServer()
    let wrongProof = Self.clientFinal.replacingOccurrences("p=dHzb", "p=dHzc")
    #expect(server.verify(clientFinal: Array(wrongProof.utf8)) == .invalidProof)
    let wrongNonce = Self.clientFinal.replacingOccurrences("hNlF$k0", "hNlF$k1")
    #expect(server.verify(clientFinal: Array(wrongNonce.utf8)) == .malformed)
    let wrongBinding = Self.clientFinal.replacingOccurrences("c=biws", "c=eSws")
    #expect(server.verify(clientFinal: Array(wrongBinding.utf8)) == .malformed)
    #expect(server.verify(clientFinal: Array("c=biws".utf8)) == .malformed)
  }

  @Test func clientRefusesAServerNonceThatDoesNotExtendItsOwn() throws {
    var client = SCRAMClient(username: "user", password: "pencil", nonce: Self.clientNonce)
    _ = client.clientFirst()
    #expect(throws: SCRAMError.nonceMismatch) {
      try client.clientFinal(serverFirst: Array("r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8))
    }
    #expect(throws: SCRAMError.malformedServerMessage) {
      try client.clientFinal(serverFirst: Array("e=other-error".utf8))
    }
  }
}

@Suite struct SCRAMClientFirstParsingTests {
  func parse(_ text: String) -> SCRAMServerExchange.ClientFirst? {
    SCRAMServerExchange.parseClientFirst(Array(text.utf8))
  }

  @Test func acceptsNoBindingAndClientSupportsBindingHeaders() {
    #expect(parse("n,,n=kim,r=abc")?.gs2Header == "n,,")
    #expect(parse("y,,n=kim,r=abc")?.gs2Header == "y,,")
    #expect(parse("n,a=kim,n=kim,r=abc")?.authorizationIdentity == "kim")
  }

  @Test func rejectsChannelBindingAndMandatoryExtensions() {
    #expect(parse("p=tls-unique,,n=kim,r=abc") == nil)
    #expect(parse("n,,m=ext,n=kim,r=abc") == nil)
    #expect(parse("x,,n=kim,r=abc") == nil)
  }

  @Test func unescapesNamesAndRejectsBadEscapesAndControls() {
    #expect(parse("n,,n=a=2Cb=3Dc,r=abc")?.username == "a,b=c")
    #expect(parse("n,,n=a=2Db,r=abc") == nil)
    #expect(parse("n,,n=a=2,r=abc") == nil)
    #expect(parse("n,,n=a\u{7}b,r=abc") == nil)
    #expect(parse("n,,n=a\u{85}b,r=abc") == nil)
    #expect(parse("n,,n=,r=abc") == nil)
  }

  @Test func rejectsMissingOrBadNonces() {
    #expect(parse("n,,n=kim") == nil)
    #expect(parse("n,,n=kim,r=") == nil)
    #expect(parse("n,,r=abc,n=kim") == nil)
    #expect(parse("n,,n=kim,r=a b") == nil)
  }

  @Test func clientEscapesItsName() {
    var client = SCRAMClient(username: "a,b=c", password: "x", nonce: "N")
    #expect(String(decoding: client.clientFirst(), as: UTF8.self) == "n,,n=a=2Cb=3Dc,r=N")
  }
}

extension String {
  /// Foundation-free replace, for building tampered test messages.
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    let parts = self.split(separator: target, omittingEmptySubsequences: false)
    return parts.joined(separator: replacement)
  }
}
