import LyceumProtocol
import Testing

@testable import LyceumStore

/// The text forms of the list columns: readable, exact, and strict about what they read.
@Suite struct HistoryCodingTests {
  @Test func paramsAreLengthPrefixedByUTF8Bytes() throws {
    #expect(HistoryCoding.encode(params: ["#c", "a b", "", "é"]) == "2:#c3:a b0:2:é")
    #expect(HistoryCoding.encode(params: []) == "")
    #expect(try HistoryCoding.decodeParams("2:#c3:a b0:2:é") == ["#c", "a b", "", "é"])
    #expect(try HistoryCoding.decodeParams("") == [])
  }

  @Test(arguments: ["3:ab", "x:", "5", ":a", "1:a2", "9999999999:a", "-1:"])
  func malformedParamsAreAnError(text: String) {
    #expect(throws: HistoryCoding.CorruptColumn.self) { try HistoryCoding.decodeParams(text) }
  }

  @Test func tagsAreInWireFormKeepingNoValueApartFromEmpty() {
    let tags = [IRCTag("+a", "x y;z"), IRCTag("+b"), IRCTag("+c", "")]
    #expect(HistoryCoding.encode(tags: tags) == "+a=x\\sy\\:z;+b;+c=")
    #expect(HistoryCoding.decodeTags("+a=x\\sy\\:z;+b;+c=") == tags)
    #expect(HistoryCoding.decodeTags("") == [])
  }
}
