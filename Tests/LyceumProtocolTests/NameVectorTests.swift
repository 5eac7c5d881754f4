import LyceumProtocol
import Testing

/// The ircdocs userhost-split, validate-hostname and mask-match vectors, every case.
@Suite struct NameVectorTests {
  @Test func vectorFilesAreLoaded() throws {
    #expect(try Vectors.userHostSplit().count == 7)
    #expect(try Vectors.validateHostname().count == 19)
    #expect(try Vectors.maskMatch().count == 6)
  }

  @Test(arguments: try Vectors.userHostSplit())
  func userHostSplit(_ vector: Vectors.UserHostCase) {
    let split = UserHost(parsing: vector.source)
    // The vectors treat an absent part as the empty string.
    #expect(split.nick == (vector.atoms.nick ?? ""))
    #expect((split.user ?? "") == (vector.atoms.user ?? ""))
    #expect((split.host ?? "") == (vector.atoms.host ?? ""))
    #expect(split.joined == vector.source)
  }

  @Test(arguments: try Vectors.validateHostname())
  func validateHostname(_ vector: Vectors.HostnameCase) {
    #expect(HostnameValidation.isValid(vector.host) == vector.valid)
  }

  @Test(arguments: try Vectors.maskMatch())
  func maskMatch(_ vector: Vectors.MaskCase) {
    let mask = IRCMask(vector.mask)
    for subject in vector.matches {
      #expect(mask.matches(subject), "\(subject) should match")
    }
    for subject in vector.fails {
      #expect(!mask.matches(subject), "\(subject) should not match")
    }
  }
}
