import LyceumProtocol
import Testing

@Suite struct CaseMappingTests {
  @Test func rfc1459FoldsBracketsTooAndLeavesOthers() {
    #expect(CaseMapping.rfc1459.fold("Nick[]\\~") == "nick{}|^")
    #expect(CaseMapping.rfc1459.fold("ÄBC{}|^") == "Äbc{}|^")
    #expect(CaseMapping.rfc1459.fold("#Chan-1") == "#chan-1")
  }

  @Test func asciiFoldsOnlyLetters() {
    #expect(CaseMapping.ascii.fold("Nick[]\\~") == "nick[]\\~")
    #expect(CaseMapping.ascii.rawValue == "ascii")
    #expect(CaseMapping.rfc1459.rawValue == "rfc1459")
  }

  @Test func equalsWithoutAllocating() {
    #expect(CaseMapping.rfc1459.equals("Foo[1]", "fOO{1}"))
    #expect(!CaseMapping.ascii.equals("Foo[1]", "fOO{1}"))
    #expect(!CaseMapping.rfc1459.equals("foo", "fooo"))
  }

  @Test func foldIsIdempotent() {
    for s in ["ABC", "[]\\~", "already{}|^", ""] {
      let once = CaseMapping.rfc1459.fold(s)
      #expect(CaseMapping.rfc1459.fold(once) == once)
    }
  }
}

@Suite struct IRCMaskTests {
  @Test func caseInsensitiveUnderMapping() {
    #expect(IRCMask("[FOO]*!*@*").matches("{foo}bar!u@h"))
    #expect(!IRCMask("[FOO]*!*@*", caseMapping: .ascii).matches("{foo}bar!u@h"))
    #expect(IRCMask("*!*@*.EXAMPLE.org").matches("n!u@host.example.ORG"))
  }

  @Test func questionMarkIsOneCharacter() {
    #expect(IRCMask("caf?").matches("café"))
    #expect(!IRCMask("caf??").matches("café"))
    #expect(IRCMask("*?").matches("é"))
    #expect(!IRCMask("*??").matches("é"))
  }

  @Test func backslashIsLiteral() {
    #expect(IRCMask("a\\*").matches("a\\bc"))
    #expect(!IRCMask("a\\*").matches("abc"))
    #expect(IRCMask("a\\b").matches("A|B"))  // rfc1459: `\` folds to `|`
  }

  @Test func edges() {
    #expect(IRCMask("").matches(""))
    #expect(!IRCMask("").matches("a"))
    #expect(IRCMask("*").matches(""))
    #expect(IRCMask("**a**").matches("xa"))
    #expect(!IRCMask("a*").matches("ba"))
    #expect(IRCMask("a*b*c").matches("aXbYbZc"))
    #expect(!IRCMask("a*b*c").matches("aXbYbZ"))
  }

  /// Many stars against a long non-matching subject still finish quickly (no exponential).
  @Test(.timeLimit(.minutes(1))) func pathological() {
    let subject = String(repeating: "a", count: 5000)
    #expect(!IRCMask(String(repeating: "*a", count: 50) + "b").matches(subject))
    #expect(IRCMask(String(repeating: "*a", count: 50)).matches(subject))
  }

  @Test func hashableByPatternAndMapping() {
    #expect(IRCMask("a*") == IRCMask("a*"))
    #expect(IRCMask("a*") != IRCMask("a*", caseMapping: .ascii))
    #expect(IRCMask("A*").pattern == "A*")
  }
}
