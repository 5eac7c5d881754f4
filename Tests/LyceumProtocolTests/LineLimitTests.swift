import Testing

@testable import LyceumProtocol

/// Lines the server writes: a middle parameter no wire form can carry is `*`, and text is cut
/// to fit 512 bytes on a character boundary.
@Suite struct LineLimitTests {
  @Test(arguments: ["", ":x", "a b"])
  func unwritableMiddleParameterIsAStar(_ param: String) {
    let message = IRCMessage(source: "s", command: "696", params: ["n", "#c", "l", param, "bad"])
    #expect(message.serializedString == ":s 696 n #c l * :bad")
  }

  @Test func lastParameterMayStillBeEmpty() {
    let message = IRCMessage(source: "s", command: "TOPIC", params: ["#c", ""])
    #expect(message.serializedString == ":s TOPIC #c :")
  }

  @Test func shortMessageIsUnchanged() {
    let message = IRCMessage(source: "n!u@h", command: "PRIVMSG", params: ["#c", "hi"])
    #expect(message.cutToFit() == message)
  }

  @Test func longTextIsCutToFit510BytesWithoutTags() {
    let text = String(repeating: "x", count: 510)
    let message = IRCMessage(
      tags: [IRCTag("msgid", String(repeating: "m", count: 100))], source: "nick!user@host",
      command: "PRIVMSG", params: ["#chan", text])
    let cut = message.cutToFit()
    #expect(cut.bodyByteCount == 510)
    #expect(cut.tags == message.tags)
    #expect(text.hasPrefix(cut.params[1]))
  }

  /// Multibyte text: never half a code point, and never half of 👩‍🔬 or of an `e` with its
  /// combining accent.
  @Test(arguments: ["é", "€", "😀", "👩‍🔬", "e\u{301}"])
  func cutKeepsWholeCharacters(_ unit: String) {
    let text = String(repeating: unit, count: 300)
    let message = IRCMessage(source: "nick!user@host", command: "PRIVMSG", params: ["#c", text])
    let cut = message.cutToFit()
    #expect(cut.bodyByteCount <= 510)
    #expect(cut.bodyByteCount > 510 - unit.utf8.count)
    let kept = cut.params[1]
    #expect(kept.utf8.count % unit.utf8.count == 0)
    #expect(kept == String(repeating: unit, count: kept.utf8.count / unit.utf8.count))
  }

  @Test func oneHugeCharacterIsCutBetweenScalars() {
    let text = "a" + String(repeating: "\u{301}", count: 300)
    #expect(text.count == 1)
    let prefix = text.prefixFitting(utf8Bytes: 11)
    #expect(prefix.unicodeScalars.count == 6)
    #expect(prefix.utf8.count == 11)
  }
}
