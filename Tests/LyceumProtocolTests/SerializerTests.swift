import LyceumProtocol
import Testing

@Suite struct SerializerTests {
  @Test(arguments: [
    (["#c", "hello"], "PRIVMSG #c :hello"),
    (["#c"], "PRIVMSG #c"),
    (["a b"], "PRIVMSG :a b"),
    ([":x"], "PRIVMSG ::x"),
    (["#c", "hi there"], "PRIVMSG #c :hi there"),
    (["#c", ""], "PRIVMSG #c :"),
    (["#c", ":)"], "PRIVMSG #c ::)"),
    (["#c", "a:b"], "PRIVMSG #c :a:b"),
    ([], "PRIVMSG"),
  ])
  func trailingForTheLastOfSeveralOrWhenNeeded(_ params: [String], _ wire: String) {
    #expect(IRCMessage(command: "PRIVMSG", params: params).serializedString == wire)
  }

  @Test func fullMessage() {
    let message = IRCMessage(
      tags: [IRCTag("time", "2026-01-01T00:00:00.000Z"), IRCTag("+draft/reply", "a;b c")],
      source: "n!u@h", command: "PRIVMSG", params: ["#c", "hi all"])
    let expected = "@time=2026-01-01T00:00:00.000Z;+draft/reply=a\\:b\\sc :n!u@h PRIVMSG #c :hi all"
    #expect(message.serializedString == expected)
    #expect(message.serialized() == Array((expected + "\r\n").utf8))
  }

  @Test func emptyTagValueIsWrittenBare() {
    let message = IRCMessage(tags: [IRCTag("a", ""), IRCTag("b")], command: "X")
    #expect(message.serializedString == "@a;b X")
  }

  @Test func appendsAfterExistingBytes() {
    var buffer = Array("PING a\r\n".utf8)
    IRCMessage(command: "PONG", params: ["b"]).appendSerialized(to: &buffer)
    #expect(buffer == Array("PING a\r\nPONG b\r\n".utf8))
  }

  /// A value carrying CR, LF or NUL must never produce a second line on the wire.
  @Test func neutralizesLineBreaks() {
    let message = IRCMessage(
      tags: [IRCTag("t", "a\r\nb")], source: "s\r", command: "PRIVMSG",
      params: ["#c", "hi\r\nQUIT\u{0}"])
    let wire = message.serialized()
    #expect(wire.filter { $0 == 0x0A }.count == 1)
    #expect(wire.filter { $0 == 0x0D }.count == 1)
    #expect(!wire.contains(0))
    #expect(message.serializedString == "@t=a\\r\\nb :s  PRIVMSG #c :hi  QUIT ")
  }

  @Test(arguments: [
    IRCMessage(command: "PING"),
    IRCMessage(source: "irc.example.org", command: "001", params: ["nick", "Welcome home"]),
    IRCMessage(
      tags: [IRCTag("a", "; \\\r\n"), IRCTag("b"), IRCTag("c", "\\s\\:"), IRCTag("d", "é∑🎉")],
      command: "TAGMSG", params: ["#c"]),
    IRCMessage(tags: [IRCTag("x", "trailing\\")], command: "C", params: ["a", "b", ":c d"]),
    IRCMessage(command: "MODE", params: ["#c", "+o", "n"]),
    IRCMessage(command: "PRIVMSG", params: ["#c", "  spaces  "]),
  ])
  func roundTrip(_ message: IRCMessage) throws {
    let wire = message.serialized()
    #expect(wire.suffix(2) == [0x0D, 0x0A])
    let parsed = try IRCMessage(parsing: wire.dropLast(2))
    #expect(parsed == message)
  }
}

@Suite struct TagEscapingTests {
  @Test(arguments: [
    ("", ""),
    ("plain", "plain"),
    ("a;b", "a\\:b"),
    ("a b", "a\\sb"),
    ("a\\b", "a\\\\b"),
    ("\r\n", "\\r\\n"),
    ("; \\\r\n", "\\:\\s\\\\\\r\\n"),
    ("é;🎉", "é\\:🎉"),
  ])
  func escapeAndBack(_ value: String, _ escaped: String) {
    #expect(TagEscaping.escape(value) == escaped)
    #expect(TagEscaping.unescape(Substring(escaped)) == value)
  }

  @Test(arguments: [
    ("trailing\\", "trailing"),
    ("\\", ""),
    ("\\x\\y", "xy"),
    ("a\\\\ntest", "a\\ntest"),
    ("\\\\\\:", "\\;"),
    ("\\é", "é"),
  ])
  func lenientUnescape(_ wire: String, _ value: String) {
    #expect(TagEscaping.unescape(Substring(wire)) == value)
  }
}
