import LyceumProtocol
import Testing

@Suite struct ParserTests {
  @Test(arguments: [
    ("", IRCParseError.empty),
    ("    ", .empty),
    ("@a=b", .missingCommand),
    ("@a=b   ", .missingCommand),
    (":src", .missingCommand),
    ("@a :src ", .missingCommand),
    ("@ PING", .invalidTags),
    ("@=x PING", .invalidTags),
    ("@a;=x PING", .invalidTags),
    ("@; PING", .invalidTags),
    ("@+ PING", .invalidTags),
    ("@a\rb=1 PING", .forbiddenCharacter),
    ("PRIVMSG #c :a\u{0}b", .forbiddenCharacter),
    ("PRI\u{0}VMSG #c :ab", .forbiddenCharacter),
    ("@k=v;x!y PING", .invalidTags),
  ])
  func errors(_ line: String, _ error: IRCParseError) {
    #expect(throws: error) { try IRCMessage(parsing: line) }
  }

  @Test(
    arguments: [
      [0xFF],
      [0x50, 0x49, 0x4E, 0x47, 0x20, 0xC3],  // truncated sequence
      [0x50, 0x20, 0xC0, 0x80],  // overlong NUL
      [0x50, 0x20, 0xED, 0xA0, 0x80],  // surrogate
      [0x50, 0x20, 0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
    ] as [[UInt8]])
  func invalidUTF8(_ line: [UInt8]) {
    #expect(throws: IRCParseError.invalidUTF8) { try IRCMessage(parsing: line) }
  }

  @Test func keepsCommandCase() throws {
    let message = try IRCMessage(parsing: "privMsg #a :hi")
    #expect(message.command == "privMsg")
    #expect(message.uppercasedCommand == "PRIVMSG")
  }

  @Test func utf8Params() throws {
    let message = try IRCMessage(parsing: ":nïck PRIVMSG #čhan :héllo wörld 🎉")
    #expect(message.source == "nïck")
    #expect(message.params == ["#čhan", "héllo wörld 🎉"])
  }

  @Test func emptySegmentsAndEmptyValues() throws {
    let message = try IRCMessage(parsing: "@a=;;b;c=1; CMD")
    #expect(message.tags == [IRCTag("a"), IRCTag("b"), IRCTag("c", "1")])
  }

  @Test func lastDuplicateTagWinsAtFirstPosition() throws {
    let message = try IRCMessage(parsing: "@x=1;y=2;x=3;y CMD")
    #expect(message.tags == [IRCTag("x", "3"), IRCTag("y")])
    #expect(message.tag("x") == .some("3"))
  }

  /// Past the linear-scan limit the parser indexes tags in a dictionary; same semantics.
  @Test func manyDuplicateTags() throws {
    let keys = (0..<40).map { "k\($0)" }
    let first = keys.map { "\($0)=a" }.joined(separator: ";")
    let second = keys.reversed().map { "\($0)=b" }.joined(separator: ";")
    let message = try IRCMessage(parsing: "@\(first);\(second) CMD")
    #expect(message.tags.map(\.key) == keys)
    #expect(message.tags.allSatisfy { $0.value == "b" })
  }

  @Test func bytesAndStringAgree() throws {
    let line = "@t=v\\s1 :s!u@h PRIVMSG #c :a b"
    let fromBytes = try IRCMessage(parsing: Array(line.utf8))
    let fromSlice = try IRCMessage(parsing: Array(("xx" + line).utf8).dropFirst(2))
    #expect(fromBytes == (try IRCMessage(parsing: line)))
    #expect(fromSlice == fromBytes)
  }

  @Test func validTagKeysAndLeadingSpaces() throws {
    let message = try IRCMessage(parsing: "  @+example.com/a-b=1;draft/reply=2;c3 CMD")
    #expect(message.tags.map(\.key) == ["+example.com/a-b", "draft/reply", "c3"])
    #expect(message.tags.first?.isClientOnly == true)
    #expect(try IRCMessage(parsing: "  PING x").command == "PING")
  }

  /// A CR that did not end the line cannot be relayed faithfully, so the line is refused.
  @Test func loneCRIsRefused() {
    #expect(throws: IRCParseError.forbiddenCharacter) {
      try IRCMessage(parsing: "PRIVMSG #c :a\rb")
    }
  }
}
