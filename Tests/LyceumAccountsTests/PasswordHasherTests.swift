import LyceumCore
import LyceumProtocol
import Testing

@testable import LyceumAccounts

@Suite struct PasswordHasherTests {
  let hasher = PasswordHasher.testing

  @Test func roundTripAcceptsTheRightPasswordOnly() throws {
    let credential = try hasher.makeCredential(password: "correct horse")
    #expect(hasher.verify(password: "correct horse", against: credential))
    #expect(!hasher.verify(password: "correct horsE", against: credential))
    #expect(!hasher.verify(password: "", against: credential))
  }

  @Test func theDecoyHasARealCredentialsCostAndMatchesNoPassword() throws {
    let decoy = hasher.makeDecoyCredential()
    let real = try hasher.makeCredential(password: "correct horse")
    // Same cost fields (`scrypt$N$r$p$`), so verifying against it does the same work.
    let costOf = { (credential: PasswordCredential) in
      credential.scryptHash.split(separator: "$").prefix(4).joined(separator: "$")
    }
    #expect(costOf(decoy) == costOf(real))
    #expect(decoy.scramIterations == real.scramIterations)
    for password in ["", "correct horse", "decoy"] {
      #expect(!hasher.verify(password: password, against: decoy))
    }
    #expect(hasher.makeDecoyCredential() != decoy)
  }

  @Test func storedFormHasTheDocumentedShapeAndNoPassword() throws {
    let password = "sesame-open-please"
    let credential = try hasher.makeCredential(password: password)
    let fields = credential.scryptHash.split(separator: "$", omittingEmptySubsequences: false)
    #expect(fields.count == 6)
    #expect(fields[0] == "scrypt" && fields[1] == "1024" && fields[2] == "8" && fields[3] == "1")
    #expect(Base64.decode(fields[4])?.count == 16)
    #expect(Base64.decode(fields[5])?.count == 32)
    #expect(credential.scramSalt.count == 16)
    #expect(credential.scramIterations == hasher.scramIterations)
    #expect(!String(describing: credential).contains(password))
    #expect(!credential.scryptHash.contains(Base64.encode(Array(password.utf8))))
  }

  @Test func saltsDifferPerCredential() throws {
    let a = try hasher.makeCredential(password: "same password")
    let b = try hasher.makeCredential(password: "same password")
    #expect(a.scryptHash != b.scryptHash)
    #expect(a.scramSalt != b.scramSalt)
    #expect(a.scramStoredKey != b.scramStoredKey)
  }

  @Test func verifyUsesTheStoredCostNotTheHashersOwn() throws {
    let old = try PasswordHasher(scryptN: 1 << 4, scryptR: 1, scryptP: 1, scramIterations: 16)
      .makeCredential(password: "old-cost password")
    #expect(hasher.verify(password: "old-cost password", against: old))
  }

  @Test func unparsableOrHostileStoredStringsNeverVerify() throws {
    var credential = try hasher.makeCredential(password: "whatever1")
    for bad in [
      "", "scrypt$1024$8$1$AAAA", "bcrypt$1024$8$1$AAAA$AAAA", "scrypt$1000$8$1$AAAA$AAAA",
      "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
    ] {
      credential.scryptHash = bad
      #expect(!hasher.verify(password: "whatever1", against: credential))
    }
  }

  @Test func scramKeysMatchTheClientsDerivation() throws {
    let credential = try hasher.makeCredential(password: "pencil-case")
    let keys = SCRAMKeys(
      password: Array("pencil-case".utf8), salt: credential.scramSalt,
      iterations: credential.scramIterations)
    #expect(keys.storedKey == credential.scramStoredKey)
    #expect(keys.serverKey == credential.scramServerKey)
  }
}

extension PasswordHasher {
  /// Cheap but real parameters, so the tests stay fast on a shared two-core machine.
  static let testing = PasswordHasher(
    scryptN: 1 << 10, scryptR: 8, scryptP: 1, scramIterations: 512)
}
