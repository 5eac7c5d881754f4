import LyceumProtocol
import Testing

@testable import LyceumAccounts

/// Known-answer vectors for the OpenSSL wrappers, so that a wrong binding (lengths, argument
/// order, a missed `maxmem`) fails here rather than as "nobody can log in".
@Suite struct CryptoTests {
  @Test func sha256MatchesFIPS180Vector() {
    #expect(
      Hex.encode(Crypto.sha256(Array("abc".utf8)))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      Hex.encode(Crypto.sha256([]))
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  @Test func hmacMatchesRFC4231TestCases() {
    // Test case 1.
    #expect(
      Hex.encode(
        Crypto.hmacSHA256(
          key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8)))
        == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    // Test case 2.
    #expect(
      Hex.encode(
        Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
      )
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test func pbkdf2MatchesRFC7914Section11() {
    #expect(
      Hex.encode(
        Crypto.pbkdf2SHA256(
          password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64))
        == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    #expect(
      Hex.encode(
        Crypto.pbkdf2SHA256(
          password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, length: 32)
      ) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
  }

  @Test func scryptMatchesRFC7914Section12() throws {
    let empty = try Crypto.scrypt(password: [], salt: [], n: 16, r: 1, p: 1, length: 64)
    #expect(
      Hex.encode(empty)
        == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
    let nacl = try Crypto.scrypt(
      password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, length: 64)
    #expect(
      Hex.encode(nacl)
        == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
  }

  @Test func scryptAcceptsTheDefaultCostAboveOpenSSLsDefaultMemoryLimit() throws {
    let key = try Crypto.scrypt(
      password: Array("x".utf8), salt: Array("y".utf8), n: 1 << 15, r: 8, p: 1, length: 32)
    #expect(key.count == 32)
  }

  @Test func scryptRejectsInvalidParameters() {
    #expect(throws: CryptoError.self) {
      try Crypto.scrypt(password: [], salt: [], n: 1000, r: 1, p: 1, length: 32)
    }
    #expect(throws: CryptoError.self) {
      try Crypto.scrypt(password: [], salt: [], n: 16, r: 0, p: 1, length: 32)
    }
  }

  @Test func randomBytesHaveTheLengthAskedAndDiffer() {
    #expect(Crypto.randomBytes(0).isEmpty)
    let a = Crypto.randomBytes(32)
    let b = Crypto.randomBytes(32)
    #expect(a.count == 32 && b.count == 32)
    #expect(a != b)
  }

  @Test func constantTimeEqualComparesContentAndLength() {
    #expect(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
    #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
    #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2]))
    #expect(Crypto.constantTimeEqual([], []))
  }

  @Test func base64RoundTripsAndIsStrict() {
    for length in 0..<8 {
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 200) }
      #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }
    #expect(Base64.encode(Array("n,,".utf8)) == "biws")
    #expect(Base64.decode("Zm9vYg==") == Array("foob".utf8))
    #expect(Base64.decode("Zm9vYh==") == nil)  // non-zero discarded bits
    #expect(Base64.decode("Zm9v YQ==") == nil)
    #expect(Base64.decode("Zm9=vYQ=") == nil)
    #expect(Base64.decode("Zm9") == nil)
  }

  @Test func apiTokensAreShellSafeAndDigestAsHex() {
    let token = APIToken.generate()
    #expect(token.hasPrefix("lyc_"))
    #expect(token.utf8.count == 4 + 64)
    #expect(token.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
    #expect(token != APIToken.generate())
    #expect(
      APIToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }
}
