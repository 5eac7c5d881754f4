import LyceumTerminalView
import Testing

@Suite struct NickColorTests {
  @Test func fnv1aKnownVectors() {
    #expect(NickColor.stableHash("") == 0x811C_9DC5)
    #expect(NickColor.stableHash("a") == 0xE40C_292C)
    #expect(NickColor.stableHash("foobar") == 0xBF9C_F968)
  }

  @Test func stableValues() {
    // Pinned so that a change of hash or palette (which would recolour everyone) is noticed:
    // FNV-1a("alice") % 12 == 11, the last of the 16-colour choices.
    #expect(NickColor.index(for: "alice", paletteSize: 16) == 14)
    #expect(NickColor.index(for: "ALICE", paletteSize: 16) == 14)
    let cube = NickColor.candidates(paletteSize: 256)
    let hash = NickColor.stableHash("alice")
    #expect(NickColor.index(for: "alice", paletteSize: 256) == cube[Int(hash % UInt32(cube.count))])
  }

  @Test func caseMappingGivesTheSameColour() {
    for size in [8, 16, 256] {
      #expect(
        NickColor.index(for: "Nick[away]", paletteSize: size)
          == NickColor.index(for: "nick{AWAY}", paletteSize: size))
      #expect(
        NickColor.index(for: "A~B\\", paletteSize: size)
          == NickColor.index(for: "a^b|", paletteSize: size))
    }
  }

  @Test func neverDefaultBlackWhiteOrGrey() {
    let nicks = (0..<2000).map { "user\($0)" } + ["", "日本", "👩‍🔬", "e\u{301}"]
    for size in [2, 8, 16, 88, 256] {
      for nick in nicks {
        let index = NickColor.index(for: nick, paletteSize: size)
        #expect((1..<size).contains(index))
        #expect(![0, 7, 8, 15, 16, 231].contains(index))
        #expect(!(232...255).contains(index))
      }
    }
  }

  @Test func spreadsOverThePalette() {
    let used = Set((0..<500).map { NickColor.index(for: "n\($0)", paletteSize: 16) })
    #expect(used == Set(NickColor.candidates(paletteSize: 16)))
  }

  @Test func tinyPalettes() {
    #expect(NickColor.index(for: "x", paletteSize: 0) == 0)
    #expect(NickColor.index(for: "x", paletteSize: 1) == 0)
    #expect(NickColor.index(for: "x", paletteSize: 2) == 1)
    #expect(NickColor.candidates(paletteSize: 8) == [1, 2, 3, 4, 5, 6])
  }

  @Test func cubeCandidatesExcludeGreys() {
    let cube = NickColor.candidates(paletteSize: 256)
    #expect(!cube.isEmpty)
    for index in cube {
      let value = index - 16
      let (r, g, b) = (value / 36, value / 6 % 6, value % 6)
      #expect(!(r == g && g == b))
      #expect(max(r, g, b) >= 2)
    }
  }
}
