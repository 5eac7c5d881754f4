/// A colour per nick, the same in every run, on every machine and for every spelling of the
/// nick under IRC case mapping, so that people are recognisable at a glance.
///
/// The colour comes from a fixed hash (32-bit FNV-1a over the `rfc1459`-folded UTF-8), not from
/// Swift's `Hasher`, which is seeded per process.
public enum NickColor {
  /// A palette index for `nick` among the first `paletteSize` colours of the terminal.
  ///
  /// Black, white and greys are never chosen: they are the usual default foreground and
  /// background colours, so a nick in them would vanish or look like ordinary text. With 16
  /// colours or fewer that leaves the reds, greens, yellows, blues, magentas and cyans (dark and,
  /// with 16, bright); with 256, the 6×6×6 colour cube without its darkest and palest corners.
  /// Palettes under 2 colours have no choice and give 0.
  public static func index(for nick: String, paletteSize: Int) -> Int {
    let choices = candidates(paletteSize: paletteSize)
    guard !choices.isEmpty else { return 0 }
    return choices[Int(stableHash(IRCCaseFold.fold(nick)) % UInt32(choices.count))]
  }

  /// The 32-bit FNV-1a hash of `text`'s UTF-8 bytes: stable across runs and platforms.
  public static func stableHash(_ text: String) -> UInt32 {
    var hash: UInt32 = 0x811C_9DC5
    for byte in text.utf8 {
      hash ^= UInt32(byte)
      hash = hash &* 0x0100_0193
    }
    return hash
  }

  /// The palette indices `index(for:paletteSize:)` chooses from.
  public static func candidates(paletteSize: Int) -> [Int] {
    if paletteSize >= 256 { return cube }
    if paletteSize >= 16 { return [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14] }
    return Array((1..<min(max(paletteSize, 1), 8)).filter { $0 != 7 })
  }

  /// Cube colours (index 16 + 36r + 6g + b) bright enough for a dark background and with
  /// enough colour for a light one: some component at 2 or more, some at 3 or less, not grey.
  private static let cube: [Int] = {
    var result: [Int] = []
    for red in 0..<6 {
      for green in 0..<6 {
        for blue in 0..<6 {
          let high = max(red, green, blue)
          let low = min(red, green, blue)
          if high >= 2, low <= 3, high != low {
            result.append(16 + 36 * red + 6 * green + blue)
          }
        }
      }
    }
    return result
  }()
}
