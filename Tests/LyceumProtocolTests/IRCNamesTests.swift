import LyceumProtocol
import Testing

@Suite struct IRCNamesTests {
  @Test(arguments: [
    "a", "Nick", "[away]", "\\o", "`x", "_bot_", "^^", "{x}|y", "n1-2", "abcdefghi",
  ])
  func validNicks(_ nick: String) {
    #expect(IRCNames.isValidNick(nick, maxLength: 9))
  }

  @Test(arguments: [
    "", "1abc", "-a", "a b", "ab!", "a@b", "#chan", ":x", "é", "nick,x", "abcdefghij", "a*",
  ])
  func invalidNicks(_ nick: String) {
    #expect(!IRCNames.isValidNick(nick, maxLength: 9))
  }

  @Test(arguments: ["#a", "#lyceum", "#faculty-exchange", "#čeština", "##", "#a:b"])
  func validChannels(_ name: String) {
    #expect(IRCNames.isValidChannel(name, maxLength: 20))
  }

  @Test(arguments: [
    "", "#", "lyceum", "&local", "#a b", "#a,b", "#a\u{7}", "#a\u{0}", "#a\r", "#a\n",
    "#" + String(repeating: "x", count: 20),
  ])
  func invalidChannels(_ name: String) {
    #expect(!IRCNames.isValidChannel(name, maxLength: 20))
  }

  @Test func lengthIsInclusive() {
    #expect(IRCNames.isValidNick("abc", maxLength: 3))
    #expect(!IRCNames.isValidNick("abcd", maxLength: 3))
    #expect(IRCNames.isValidChannel("#abc", maxLength: 4))
    #expect(!IRCNames.isValidChannel("#abcd", maxLength: 4))
  }
}

@Suite struct UserHostTests {
  @Test func atBeforeBangBelongsToHost() {
    let split = UserHost(parsing: "n@h!x")
    #expect(split == UserHost(nick: "n", user: nil, host: "h!x"))
  }

  @Test func emptyParts() {
    #expect(UserHost(parsing: "n!@") == UserHost(nick: "n", user: "", host: ""))
    #expect(UserHost(parsing: "") == UserHost(nick: ""))
  }
}

@Suite struct HostnameValidationTests {
  @Test func lengthLimits() {
    let label63 = String(repeating: "a", count: 63)
    #expect(HostnameValidation.isValid(label63 + ".org"))
    #expect(!HostnameValidation.isValid(label63 + "a.org"))
    let long = Array(repeating: "abcdefghi", count: 26).joined(separator: ".")  // 259 bytes
    #expect(!HostnameValidation.isValid(long))
  }

  @Test func emptyLabels() {
    #expect(!HostnameValidation.isValid("."))
    #expect(!HostnameValidation.isValid("a..b"))
    #expect(!HostnameValidation.isValid(".a.b"))
    #expect(!HostnameValidation.isValid("a.b.."))
    #expect(HostnameValidation.isValid("127.0.0.1"))
  }
}
