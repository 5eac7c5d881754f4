import LyceumProtocol
import Testing

@Suite struct UTF8ValidationTests {
  @Test(arguments: ["", "PING", "héllo", "€uro", "🎉 party", String(repeating: "ascii", count: 40)])
  func validStrings(_ s: String) {
    #expect(UTF8Validation.isValid(Array(s.utf8)))
    #expect(UTF8Validation.isValid(s.utf8))
  }

  @Test(
    arguments: [
      [0x80],  // stray continuation
      [0xC3],  // truncated
      [0xC1, 0xBF],  // overlong
      [0xE0, 0x80, 0x80],  // overlong
      [0xED, 0xBF, 0xBF],  // surrogate
      [0xF0, 0x80, 0x80, 0x80],  // overlong
      [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      [0xF5, 0x80, 0x80, 0x80],
      [0xFF],
      [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xE2, 0x82],  // after an ASCII word
    ] as [[UInt8]])
  func invalidBytes(_ bytes: [UInt8]) {
    #expect(!UTF8Validation.isValid(bytes))
  }
}
